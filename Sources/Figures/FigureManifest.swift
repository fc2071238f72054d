import Foundation

/// What each of the paper's figures is drawn from: the manifest `data/figures.json`, which a
/// user can edit or replace (`--manifest`), with run globs overridable on the command line.
public struct FigureManifest: Sendable, Codable, Equatable {
    public var figures: [Entry]

    public init(figures: [Entry]) { self.figures = figures }

    /// One figure.
    public struct Entry: Sendable, Codable, Equatable {
        public init(number: Int, title: String, kind: Kind, drift: String? = nil, curve: String? = nil, yLabel: String? = nil,
                    panels: [Panel]? = nil, produce: String? = nil, name: String? = nil, yLimits: [Double]? = nil) {
            self.number = number; self.title = title; self.kind = kind; self.drift = drift; self.curve = curve
            self.yLabel = yLabel; self.panels = panels; self.produce = produce; self.name = name; self.yLimits = yLimits
        }

        /// The paper's figure number.
        public var number: Int
        public var title: String
        /// `map`: derivative map + slices of one drift; `curves`: training curves per panel.
        public var kind: Kind
        /// For `map`: the drift spec or drift file (relative to the project root, see `projectRoot(of:)`).
        public var drift: String?
        /// For `curves`: the curve name in the run files (`episode_return`, `entropy`, ...).
        public var curve: String?
        /// For `curves`: the y-axis label.
        public var yLabel: String?
        /// For `curves`: one panel per task.
        public var panels: [Panel]?
        /// The command(s) that produce this figure's data, shown when it is missing.
        public var produce: String?
        /// The output files' base name (default `fig<number>`), for manifests of figures
        /// beyond the paper's.
        public var name: String?
        /// For `curves`: a fixed y range `[low, high]` for every panel, so that one collapsing
        /// series does not flatten the others (lines leaving it are cut at the frame).
        public var yLimits: [Double]?

        /// The output files' base name.
        public var fileName: String { name ?? "fig\(number)" }
    }

    public enum Kind: String, Sendable, Codable { case map, curves }

    /// One panel of a curves figure.
    public struct Panel: Sendable, Codable, Equatable {
        public var title: String
        public var series: [Series]
        public init(title: String, series: [Series]) { self.title = title; self.series = series }
    }

    /// One line (mean over seeds with a standard-error band).
    public struct Series: Sendable, Codable, Equatable {
        public var label: String
        /// `ppo`, `lpo`, `dpo`, `lpo-zero` (the paper's colours) or a hex colour `#rrggbb`.
        public var color: String
        /// Glob of run files, one per seed, relative to the project root (see `projectRoot(of:)`).
        public var runs: String
        /// An optional series is left out (with a note) while its runs do not exist yet.
        public var optional: Bool?
        public init(label: String, color: String, runs: String, optional: Bool? = nil) {
            self.label = label; self.color = color; self.runs = runs; self.optional = optional
        }
    }

    /// The folder a manifest's relative paths resolve from: the nearest folder at or above
    /// the manifest's that holds the project (`Package.swift`), so `data/figures.json` and a
    /// manifest in any subfolder of a checkout both resolve from the checkout's root; for a
    /// manifest outside a project, the working directory.
    public static func projectRoot(of manifest: URL) -> URL {
        var folder = manifest.standardizedFileURL.deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }

    /// Reads a manifest; errors name the file.
    public static func read(from url: URL) throws -> FigureManifest {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FigureError.invalidManifest(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(FigureManifest.self, from: data)
        } catch {
            throw FigureError.invalidManifest(path: url.path, reason: "not a valid figure manifest: \(error)")
        }
    }

    /// The entry for figure `number`.
    public func entry(_ number: Int) throws -> Entry {
        guard let entry = figures.first(where: { $0.number == number }) else {
            throw FigureError.unknownFigure(number: number, known: figures.map(\.number))
        }
        return entry
    }
}

/// Errors of figure generation, each saying what to do.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    case invalidManifest(path: String, reason: String)
    case unknownFigure(number: Int, known: [Int])
    case missingData(figure: Int, missing: [String], produce: String?)
    case invalidOverride(String)

    public var description: String {
        switch self {
        case .invalidManifest(let path, let reason): return "'\(path)': \(reason)"
        case .unknownFigure(let n, let known): return "no figure \(n) in the manifest (figures: \(known.map(String.init).joined(separator: ", ")))"
        case .missingData(let n, let missing, let produce):
            let shown = missing.count > 4 ? missing.prefix(3) + ["and \(missing.count - 3) more"] : missing[...]
            return "figure \(n) needs data that does not exist yet: " + shown.joined(separator: "; ")
                + (produce.map { ". Produce it with: \($0)" } ?? "")
        case .invalidOverride(let m): return m
        }
    }
}
