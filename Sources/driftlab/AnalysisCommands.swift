import Analysis
import ArgumentParser
import Drifts
import Figures
import Foundation
import Sweeps
import Training

struct DriftSlices: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slices",
        abstract: "Write dObj/dr against r at fixed advantages as CSV (header r,A,dobj_dr), and/or draw them as an image.")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @Option(name: .customLong("A"), parsing: .unconditional, help: "Advantages, comma-separated.") var advantages: String = "-2,-1,1,2"
    @Option(name: .customLong("log-r-range"), parsing: .unconditional, help: "Range of log r as LOW,HIGH.") var logRatioRange: String = "-1,1"
    @Option(parsing: .unconditional, help: "Points along r.") var resolution: Int = 201
    @Option(parsing: .unconditional, help: "Training progress n/N for temporally-aware drifts.") var progress: Float = 0
    @Option(help: "Output CSV file.") var csv: String?
    @Option(help: "Draw the slices as an image (.png, .pdf or .svg; one line per advantage).") var png: String?

    func validate() throws {
        try OptionCheck.require("--resolution", resolution, in: 2...1_000_000)
        try OptionCheck.requireFinite("--progress", progress, in: 0...1)
        _ = try GridOptions.range(logRatioRange, option: "--log-r-range")
        _ = try advantageList()
        guard csv != nil || png != nil else { throw ValidationError("give --csv FILE, --png FILE or both") }
    }

    func advantageList() throws -> [Double] {
        try advantages.split(separator: ",").map { part -> Double in
            guard let a = Double(part.trimmingCharacters(in: .whitespaces)), a.isFinite else {
                throw ValidationError("--A '\(advantages)' must be numbers separated by commas")
            }
            return a
        }
    }

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        let range = try GridOptions.range(logRatioRange, option: "--log-r-range")
        let list = try advantageList()
        let ratios = (0..<resolution).map { exp(range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(resolution - 1)) }
        let slices = ObjectiveMap.slices(of: drift, advantages: list, ratios: ratios, progress: progress)
        if let csv {
            var text = "r,A,dobj_dr\n"
            for slice in slices {
                for (r, v) in zip(ratios, slice.values) { text += "\(r),\(slice.advantage),\(v)\n" }
            }
            try writeAtomically(Data(text.utf8), to: csv)
            print("wrote \(list.count) slices of \(drift.summary) to \(csv)")
        }
        if let png {
            try SlicePicture.figure(slices, ratios: ratios, title: "\(drift.summary): dObj/dr at fixed A").write(to: URL(fileURLWithPath: png))
            print("wrote \(list.count) slices of \(drift.summary) to \(png)")
        }
    }
}

struct DriftFit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit", abstract: "Fit DPO's closed-form constants alpha and beta to a drift's derivative map.")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @OptionGroup var gridOptions: GridOptions
    @Option(parsing: .unconditional, help: "Training progress n/N for temporally-aware drifts.") var progress: Float = 0
    @Option(help: "Write the residual map (drift minus fitted closed form) as CSV.") var residualCsv: String?
    @Option(help: "Draw the residual map as an image (.png, .pdf or .svg).") var png: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try OptionCheck.requireFinite("--progress", progress, in: 0...1) }

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        let map = ObjectiveMap(drift: drift, grid: try gridOptions.grid(), progress: progress)
        let (fit, residual) = try ClosedFormFit.fit(map)
        if let residualCsv { try writeMapCSV(residual, to: residualCsv, column: "residual") }
        if let png {
            let title = String(format: "%@ minus DPO(alpha=%.3g, beta=%.3g), R² %.4f", drift.summary, fit.alpha, fit.beta, fit.r2)
            try MapPicture.figure(residual, title: title, colorLabel: "residual dObj/dr").write(to: URL(fileURLWithPath: png))
            // On stderr, so that --json stays one JSON document.
            FileHandle.standardError.write(Data("wrote the residual map to \(png)\n".utf8))
        }
        if json {
            print(try jsonString(fit))
        } else {
            print(String(format: "%@: alpha %.6g, beta %.6g, RMSE %.4g, R^2 %.6f", drift.summary, fit.alpha, fit.beta, fit.rmse, fit.r2))
        }
    }
}

struct DriftDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare two drifts through their dObj/dr maps: L2 (RMS), max |difference|, sign agreement, per quadrant.")

    @Argument(help: "First drift (spec or file).") var first: String
    @Argument(help: "Second drift (spec or file).") var second: String
    @OptionGroup var gridOptions: GridOptions
    @Option(help: "Write the difference map (first minus second) as CSV.") var csv: String?
    @Option(help: "Draw the difference map as an image (.png, .pdf or .svg).") var png: String?
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        let l2: Double
        let max_abs: Double
        let sign_agreement: Double
        let quadrants: [DriftDiff.Region]
    }

    func run() throws {
        let grid = try gridOptions.grid()
        let a = try RunSettings.makeDrift(first), b = try RunSettings.makeDrift(second)
        let (diff, difference) = try DriftDiff.compare(ObjectiveMap(drift: a, grid: grid), ObjectiveMap(drift: b, grid: grid))
        if let csv { try writeMapCSV(difference, to: csv, column: "difference") }
        if let png {
            try MapPicture.figure(difference, title: "\(a.summary) minus \(b.summary)", colorLabel: "difference in dObj/dr")
                .write(to: URL(fileURLWithPath: png))
            FileHandle.standardError.write(Data("wrote the difference map to \(png)\n".utf8))
        }
        if json {
            print(try jsonString(Output(l2: diff.l2, max_abs: diff.maxAbs, sign_agreement: diff.signAgreement, quadrants: diff.quadrants)))
            return
        }
        print("\(a.summary)  vs  \(b.summary)")
        print(String(format: "  L2 (RMS over the grid) %.4g, max |difference| %.4g, sign agreement %.4f", diff.l2, diff.maxAbs, diff.signAgreement))
        for q in diff.quadrants {
            print(String(format: "  %@: RMS %.4g, sign agreement %.4f, mean %.4g vs %.4g", q.name, q.rms, q.signAgreement, q.meanA, q.meanB))
        }
    }
}

struct DriftFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features", abstract: "Detect rollback, cautious optimism and asymmetry in a drift.")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @OptionGroup var gridOptions: GridOptions
    @Option(parsing: .unconditional, help: "Training progress n/N for temporally-aware drifts.") var progress: Float = 0
    @Flag(help: "Print JSON.") var json = false

    func validate() throws { try OptionCheck.requireFinite("--progress", progress, in: 0...1) }

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        let features = try DriftFeatures.detect(ObjectiveMap(drift: drift, grid: try gridOptions.grid(), progress: progress))
        if json {
            print(try jsonString(features))
            return
        }
        print(drift.summary)
        for (name, f) in [("rollback", features.rollback), ("pull-back", features.pullBack),
                       ("cautious optimism", features.cautiousOptimism), ("asymmetry", features.asymmetry)] {
            print(String(format: "  %@: %@ (score %.4f)", name, f.present ? "yes" : "no", f.score))
        }
    }
}

struct DriftImportNpy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-npy",
        abstract: "Import an LPO parameter vector saved by the public JAX reference code (1152 float32 values) as a drift file.")

    @Argument(help: "The .npy file.") var file: String
    @Option(help: "Output drift file (.h5).") var out: String
    @Option(help: "Shift xi of the outer ReLU (reference code: 1e-4).") var xi: Float = NetworkDrift.defaultXi

    func validate() throws { try OptionCheck.requireFinite("--xi", xi, in: 0...Float.greatestFiniteMagnitude) }

    func run() throws {
        let drift = try ReferenceImport.lpo(fromNumpy: URL(fileURLWithPath: file), xi: xi)
        try DriftFile.write(drift, to: URL(fileURLWithPath: out), provenance: Provenance.attributes().merging(["imported_from": file]) { a, _ in a })
        print("wrote \(drift.summary) to \(out)")
    }
}

/// Writes a map as CSV rows `r,A,<column>`.
func writeMapCSV(_ map: ObjectiveMap, to path: String, column: String) throws {
    var text = "r,A,\(column)\n"
    for i in 0..<map.rows {
        for j in 0..<map.columns { text += "\(exp(map.logRatios[j])),\(map.advantages[i]),\(map[i, j])\n" }
    }
    try writeAtomically(Data(text.utf8), to: path)
}

/// `driftlab runs ...`: summaries of run files.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Summarise, compare and export training runs over seeds and tasks, and shrink finished ones.",
        subcommands: [RunsSummary.self, RunsCompare.self, RunsExport.self, RunsCompact.self, RunsRepoint.self])
}

struct RunsSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Mean and standard error of a curve over seeds, per (env, label), at chosen environment steps.",
        discussion: """
        Runs are grouped by task (the env) and label (the drift spec, a drift file's name, or \
        LABEL=GLOB), one line per group and step. A step beyond a run's end (by more than its \
        last update) is an error naming the run and its length. Unfinished runs are left out, \
        with a note, unless --include-running (as in `runs compare`), so a folder that a sweep \
        is still filling summarises its finished seeds.
        """)

    @Argument(help: "Run files (one per seed), folders (searched recursively for *.h5), globs, or LABEL=GLOB.") var runs: [String]
    @Option(help: "Curve name (episode_return, eval_return, entropy, ...).") var curve: String = "episode_return"
    @Option(help: "Environment steps to report, comma-separated (default: the end).") var at: String?
    @Option(help: "Average each run's curve over this many steps up to each point (smooths per-update noise; the standard error stays across runs).") var window: Double = 0
    @Flag(help: "Keep runs that have not finished.") var includeRunning = false
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        let env: String
        let label: String
        let curve: String
        let env_steps: Double
        let mean: Double
        let stderr: Double
        let runs: Int
    }

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run file") }
        _ = try targets()
        guard window.isFinite, window >= 0 else { throw ValidationError("--window must be a finite number >= 0, got '\(window)'") }
    }

    /// The `--at` steps, each finite and positive.
    func targets() throws -> [Double]? {
        try at.map { text in
            try text.split(separator: ",", omittingEmptySubsequences: false).map { part -> Double in
                guard let x = Double(part.trimmingCharacters(in: .whitespaces)), x.isFinite, x > 0 else {
                    throw ValidationError("--at '\(text)' must be positive step counts separated by commas")
                }
                return x
            }
        }
    }

    func run() throws {
        let loaded = try finishedRuns(try RunSelection(runs).load(), includeRunning: includeRunning, anyway: "summarises")
        // Groups in the order their first run was given.
        var order: [String] = [], groups: [String: [LabelledRun]] = [:]
        for run in loaded {
            let key = "\(run.env), \(run.label)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run)
        }
        let targets = try targets()
        var rows: [Row] = []
        for key in order {
            let group = groups[key]!
            rows += try CurveAggregate.points(group.map(\.run), curve: curve, at: targets, window: window, labels: group.map(\.path)).map {
                Row(env: group[0].env, label: group[0].label, curve: curve, env_steps: $0.envSteps, mean: $0.mean,
                    stderr: $0.standardError, runs: $0.runs)
            }
        }
        if json {
            print(try jsonString(rows))
            return
        }
        for r in rows {
            print(String(format: "%@, %@: %@ at %.3g steps: %.3f ± %.3f (s.e., %d runs)", r.env, r.label, curve, r.env_steps,
                         r.mean, r.stderr, r.runs))
        }
    }
}

struct RunsCompact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Drop the resume state of finished run files, keeping curves, config, drift, rollouts and the policy.",
        discussion: """
        A finished run keeps its optimiser moments, random streams and environment snapshots so it \
        could be resumed; with the Brax presets that is several megabytes per file. Compacted files \
        still plot, summarise and evaluate (`driftlab eval`), but cannot be continued. Runs still \
        training are left as they are. Each file is rewritten atomically.
        """)

    @Argument(help: "Run files.") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one run file") }
    }

    func run() throws {
        var saved = 0
        for path in files {
            switch try RunFile.compact(URL(fileURLWithPath: path)) {
            case .compacted(let before, let after):
                saved += before - after
                print(String(format: "%@: %.1f MB -> %.2f MB", path, Double(before) / 1e6, Double(after) / 1e6))
            case .alreadyCompact:
                print("\(path): already compact")
            case .running:
                print("\(path): still training, kept with its resume state")
            }
        }
        if files.count > 1 { print(String(format: "saved %.1f MB", Double(saved) / 1e6)) }
    }
}

struct RunsRepoint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repoint",
        abstract: "Make run files name another drift file that holds the same drift (after a drift file was renamed).",
        discussion: """
        A run file names its drift file by path, and sweeps refuse a run whose drift file now \
        holds another drift. When a drift file is kept under a new name (the CartPole LPO as \
        data/lpo-cartpole.h5 when data/lpo.h5 becomes the MinAtar LPO), this points its runs at \
        the new name, so that a sweep file naming it finds them complete. Each run's stored drift \
        must equal the file's (same values on a probe grid), or the run is left as it is and the \
        command fails. Only the drift path changes; the old one is kept as drift_repointed_from. \
        Each file is rewritten atomically.
        """)

    @Argument(help: "Run files.") var files: [String]
    @Option(help: "The drift file (.h5) the runs should name.") var drift: String

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one run file") }
        guard FileManager.default.fileExists(atPath: drift) else { throw ValidationError("--drift: no file '\(drift)'") }
    }

    func run() throws {
        for path in files {
            switch try RunFile.repoint(URL(fileURLWithPath: path), toDriftFile: drift) {
            case .repointed(let old): print("\(path): \(old) -> \(drift)")
            case .unchanged: print("\(path): already names \(drift)")
            }
        }
    }
}
