import Analysis
import Drifts
import Foundation
import Plotting
import Training

/// Draws the paper's figures (Lu et al. 2022) from the project's own data, as the manifest
/// describes them: derivative maps with slices (Figures 1, 2, 3, 5) and training curves
/// over seeds with standard-error bands (Figures 4, 6, 7).
public struct PaperFigures {
    public let manifest: FigureManifest
    /// The folder drift and run paths are relative to (the repository root).
    public let root: URL
    /// Run-glob overrides by series label (`PPO=runs/ant-ppo-*.h5`), or by `panel/label`.
    public var runOverrides: [String: String] = [:]
    /// Heat-map cells per axis (the public re-implementation draws 1024 x 1024).
    public var mapResolution = 1024
    /// Draw a curves figure even while some of its series have no finished runs: they are
    /// left out with a note and the title says "draft". For watching a sweep fill a figure;
    /// a figure of the paper has every series.
    public var draft = false

    public init(manifest: FigureManifest, root: URL) {
        self.manifest = manifest
        self.root = root
    }

    /// The paper's colours by drift name, or a hex colour.
    static func color(_ name: String) -> Color {
        switch name.lowercased() {
        case "ppo": return .ppo
        case "lpo": return .lpo
        case "dpo": return .dpo
        case "lpo-zero", "lpozero": return .lpoZero
        default:
            let hex = name.hasPrefix("#") ? String(name.dropFirst()) : name
            return UInt32(hex, radix: 16).map { Color(hex: $0) } ?? .gray
        }
    }

    /// Fails when a run override names no series: its key must be a series label, or
    /// `panel/label`, of one of the figures `numbers` (every figure when nil).
    public func checkOverrides(figures numbers: [Int]? = nil) throws {
        let entries = try numbers.map { try $0.map { try manifest.entry($0) } } ?? manifest.figures
        var known: Set<String> = []
        for entry in entries {
            for panel in entry.panels ?? [] {
                for series in panel.series { known.formUnion([series.label, "\(panel.title)/\(series.label)"]) }
            }
        }
        for key in runOverrides.keys.sorted() where !known.contains(key) {
            let labels = Set(entries.flatMap { ($0.panels ?? []).flatMap { $0.series.map(\.label) } }).sorted()
            let scope = numbers.map { "figure" + ($0.count == 1 ? " " : "s ") + $0.map(String.init).joined(separator: ", ") } ?? "the manifest"
            throw FigureError.invalidOverride("--runs '\(key)=...': \(scope) has no series '\(key)'"
                + (labels.isEmpty ? " (it has no series)" : "; series: " + labels.joined(separator: ", ")
                   + " (or PANEL/LABEL)"))
        }
    }

    /// Builds figure `number`. Notes (e.g. optional series left out) go to `note`.
    public func figure(_ number: Int, note: (String) -> Void = { _ in }) throws -> Figure {
        let entry = try manifest.entry(number)
        switch entry.kind {
        case .map: return try mapFigure(entry)
        case .curves: return try curvesFigure(entry, note: note)
        }
    }

    /// Writes figure `number` as `<directory>/fig<number>.{png,pdf,svg}` (or the entry's own name).
    @discardableResult
    public func write(_ number: Int, to directory: URL, note: (String) -> Void = { _ in }) throws -> [URL] {
        let figure = try figure(number, note: note)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try figure.write(basePath: directory.appendingPathComponent(try manifest.entry(number).fileName).path)
    }

    // MARK: - Derivative maps (Figures 1, 2, 3, 5)

    func mapFigure(_ entry: FigureManifest.Entry) throws -> Figure {
        guard let spec = entry.drift else {
            throw FigureError.invalidManifest(path: "figure \(entry.number)", reason: "a map figure needs a drift")
        }
        let resolved = try DriftSpec(parsing: spec)
        var drift: any Drift
        if case .file(let path) = resolved {
            let url = URL(fileURLWithPath: path, relativeTo: root)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw FigureError.missingData(figure: entry.number, missing: ["drift file \(path)"], produce: entry.produce)
            }
            drift = try DriftFile.read(from: url)
        } else {
            drift = try resolved.makeDrift()
        }
        // Cell centres of an n x n tiling of log r in [-1, 1] and A in [-4, 4].
        let n = mapResolution
        let grid = try DriftGrid(logRatioRange: (-1 + 1 / Double(n))...(1 - 1 / Double(n)),
                                 advantageRange: (-4 + 4 / Double(n))...(4 - 4 / Double(n)), resolution: n)
        let map = ObjectiveMap(drift: drift, grid: grid)

        let figure = Figure(widthInches: 12, heightInches: 4, rows: 1, columns: 2)
        figure.title = entry.title
        let left = figure[0, 0]
        left.title = "(a) dObj/dr"
        left.show(HeatMap(values: map.values, rows: n, columns: n, xRange: -1...1, yRange: -4...4,
                          colorBar: ColorBar(label: "dObj/dr")))
        left.x.label = "r"
        left.x.tickLabels = .exponential(base: "e")
        left.y.label = "A"
        left.addReferenceLine(.vertical, at: 0, color: .black, lineWidth: 0.8, dash: [4, 3])

        let right = figure[0, 1]
        right.title = "(b) dObj/dr at fixed A"
        let ratios = (0..<400).map { exp(-1 + 2 * Double($0) / 399) }
        let colors: [Color] = [Color.tab10[0], Color.tab10[1], Color.tab10[2], Color.tab10[3]]
        for (k, slice) in ObjectiveMap.slices(of: drift, advantages: [-2, -1, 1, 2], ratios: ratios).enumerated() {
            let label = "A = " + (slice.advantage < 0 ? "\u{2212}\(Int(-slice.advantage))" : "\(Int(slice.advantage))")
            right.plot(x: ratios, y: slice.values, color: colors[k], label: label)
        }
        right.x.label = "r"
        right.y.label = "dObj/dr"
        right.addReferenceLine(.vertical, at: 1, color: .gray, lineWidth: 0.8, dash: [4, 3])
        right.addReferenceLine(.horizontal, at: 0, color: .gray, lineWidth: 0.8, dash: [4, 3])
        right.legend = Legend(.best)
        return figure
    }

    // MARK: - Training curves (Figures 4, 6, 7)

    func curvesFigure(_ entry: FigureManifest.Entry, note: (String) -> Void) throws -> Figure {
        guard let panels = entry.panels, !panels.isEmpty, let curve = entry.curve else {
            throw FigureError.invalidManifest(path: "figure \(entry.number)", reason: "a curves figure needs a curve and panels")
        }
        if let limits = entry.yLimits, limits.count != 2 || !(limits[0] < limits[1]) {
            throw FigureError.invalidManifest(path: "figure \(entry.number)", reason: "yLimits must be [low, high] with low < high, got \(limits)")
        }
        // Resolve every series first, so that all missing data is reported at once.
        var resolved: [[(series: FigureManifest.Series, files: [String])]] = []
        var missing: [String] = []
        var leftOut = 0 // series a draft leaves out
        // A series without finished runs: left out with a note when optional or in a draft,
        // missing data otherwise.
        func absent(_ panel: String, _ series: FigureManifest.Series, note why: String, missing reason: String) {
            if series.optional == true || draft {
                note("figure \(entry.number), \(panel): \(series.label) left out, \(why)")
                if series.optional != true { leftOut += 1 }
            } else {
                missing.append("\(panel) \(series.label): \(reason)")
            }
        }
        for panel in panels {
            var row: [(FigureManifest.Series, [String])] = []
            for series in panel.series {
                let pattern = runOverrides["\(panel.title)/\(series.label)"] ?? runOverrides[series.label] ?? series.runs
                let files = try Glob.match(pattern, relativeTo: root)
                if files.isEmpty {
                    absent(panel.title, series, note: "no runs match \(pattern)", missing: "no runs match \(pattern)")
                    continue
                }
                row.append((series, files))
            }
            resolved.append(row)
        }
        guard missing.isEmpty else { throw FigureError.missingData(figure: entry.number, missing: missing, produce: entry.produce) }

        let columns = min(panels.count, 4)
        let rows = (panels.count + columns - 1) / columns
        // A single panel (Figure 4) gets room for the figure title and a two-column legend.
        let figure = Figure(widthInches: max(3.2 * Double(columns), 4.8), heightInches: 2.6 * Double(rows) + 0.6,
                            rows: rows, columns: columns)
        figure.title = entry.title
        missing = []
        for (index, panel) in panels.enumerated() {
            let axes = figure[index / columns, index % columns]
            axes.title = panel.title
            axes.x.label = "environment steps"
            axes.y.label = index % columns == 0 ? entry.yLabel : nil
            axes.y.grid = true
            axes.x.tickCount = 5
            for (series, files) in resolved[index] {
                let runs = try files.map { try RunFile.read(from: URL(fileURLWithPath: $0)) }
                // Runs still in progress would cut every curve short: draw finished runs only.
                let finished = zip(runs, files).filter { $0.0.complete }
                if finished.count < runs.count {
                    note("figure \(entry.number), \(panel.title) \(series.label): \(runs.count - finished.count) unfinished runs left out")
                }
                guard !finished.isEmpty else {
                    absent(panel.title, series, note: "none of its \(runs.count) runs has finished",
                           missing: "none of the \(runs.count) runs matching \(series.runs) has finished")
                    continue
                }
                let aggregate = try CurveAggregate.aggregate(finished.map(\.0), curve: curve, points: 200,
                                                             labels: finished.map(\.1))
                axes.plot(LineSeries(x: aggregate.steps, y: aggregate.mean, color: Self.color(series.color),
                                     label: "\(series.label) (\(finished.count) seed\(finished.count == 1 ? "" : "s"))", error: aggregate.standardError))
            }
        }
        guard missing.isEmpty else { throw FigureError.missingData(figure: entry.number, missing: missing, produce: entry.produce) }
        if leftOut > 0 { figure.title = "\(entry.title) (draft: \(leftOut) series without finished runs)" }
        // Steps start at 0 and end on a round budget, so the axis reads 0, 2M, ..., 10M.
        for index in panels.indices {
            let axes = figure[index / columns, index % columns]
            if let end = axes.resolvedLimits().x.upperBound as Double?, end > 0 {
                axes.x.limits = 0...LinearScale.nicedDomain(0...end, targetCount: 5).upperBound
            }
            if let limits = entry.yLimits { axes.y.limits = limits[0]...limits[1] }
        }
        figure.legend = FigureLegend(.bottom)
        return figure
    }
}

/// Shell-style globbing of run files (`*`, `?`, `[...]`), sorted.
enum Glob {
    static func match(_ pattern: String, relativeTo root: URL) throws -> [String] {
        let full = pattern.hasPrefix("/") ? pattern : root.appendingPathComponent(pattern).path
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(full, 0, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else { throw FigureError.invalidOverride("cannot expand the pattern '\(pattern)' (glob error \(status))") }
        return (0..<Int(result.gl_pathc)).compactMap { i in result.gl_pathv[i].map { String(cString: $0) } }.sorted()
    }
}
