import ArgumentParser
import Analysis
import Drifts
import Figures
import Foundation
import Sweeps

/// `driftlab drift ...`: look at drifts from outside — maps, Mirror-Learning checks, files.
struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift",
        abstract: "Inspect, check and save drift functions f(r, A).",
        discussion: """
        A drift is named by a spec: ppo, ppo:eps=0.3, dpo, dpo:alpha=1.5,beta=0.8, lpo, lpo:init=zero,
        lpo:init=random,seed=3, lpo-zero, ta-lpo (networks also take xi=1e-6), or a drift file path (*.h5).
        """,
        subcommands: [DriftMap.self, DriftSlices.self, DriftCheck.self, DriftSave.self, DriftFit.self, DriftDiffCommand.self, DriftFeaturesCommand.self, DriftImportNpy.self])
}

/// Options naming the grid of a derivative map, shared by the drift subcommands.
struct GridOptions: ParsableArguments {
    @Option(name: .customLong("log-r-range"), parsing: .unconditional,
            help: "Range of log r as LOW,HIGH.")
    var logRatioRange: String = "-1,1"

    @Option(name: .customLong("A-range"), parsing: .unconditional, help: "Range of the advantage A as LOW,HIGH.")
    var advantageRange: String = "-4,4"

    @Option(parsing: .unconditional, help: "Grid points along each axis (2...\(DriftGrid.maximumResolution)).")
    var resolution: Int = 101

    func validate() throws {
        try OptionCheck.require("--resolution", resolution, in: 2...DriftGrid.maximumResolution)
        _ = try grid()
    }

    func grid() throws -> DriftGrid {
        try DriftGrid(logRatioRange: try Self.range(logRatioRange, option: "--log-r-range"),
                      advantageRange: try Self.range(advantageRange, option: "--A-range"),
                      resolution: resolution)
    }

    static func range(_ text: String, option: String) throws -> ClosedRange<Double> {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1], low.isFinite, high.isFinite, low < high else {
            throw ValidationError("\(option) '\(text)' must be LOW,HIGH with finite numbers and LOW < HIGH")
        }
        let limit = option == "--log-r-range" ? DriftGrid.maximumLogRatio : DriftGrid.maximumAdvantage
        guard max(abs(low), abs(high)) <= limit else {
            throw ValidationError("\(option) '\(text)' goes beyond the limit of ±\(limit)")
        }
        return low...high
    }
}

struct DriftMap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Write f and dObj/dr = A - df/dr over a (log r, A) grid as CSV, and/or draw dObj/dr as an image.")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @OptionGroup var gridOptions: GridOptions
    @Option(parsing: .unconditional, help: "Training progress n/N for temporally-aware drifts.") var progress: Float = 0
    @Option(help: "Output CSV file (header r,A,f,dobj_dr).") var csv: String?
    @Option(help: "Draw the dObj/dr map as an image (.png, .pdf or .svg; blue negative, red positive).") var png: String?

    func validate() throws {
        try OptionCheck.requireFinite("--progress", progress, in: 0...1)
        guard csv != nil || png != nil else { throw ValidationError("give --csv FILE, --png FILE or both") }
    }

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        if let csv { try writeMapCSV(of: drift, to: csv) }
        if let png {
            let map = ObjectiveMap(drift: drift, grid: try gridOptions.grid(), progress: progress)
            try MapPicture.figure(map, title: "\(drift.summary): dObj/dr", colorLabel: "dObj/dr").write(to: URL(fileURLWithPath: png))
            print("wrote the dObj/dr map of \(drift.summary) to \(png)")
        }
    }

    private func writeMapCSV(of drift: any Drift, to csv: String) throws {
        let map = try gridOptions.grid().evaluate(drift, progress: progress)
        var text = "r,A,f,dobj_dr\n"
        text.reserveCapacity(map.ratios.count * 40)
        let objective = map.objectiveDerivative
        for i in map.ratios.indices {
            text += "\(map.ratios[i]),\(map.advantages[i]),\(map.drift[i]),\(objective[i])\n"
        }
        try writeAtomically(Data(text.utf8), to: csv)
        print("wrote \(map.ratios.count) points of \(drift.summary) to \(csv)")
    }
}

struct DriftCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the Mirror-Learning conditions: f >= 0, f(1, A) = 0, df/dr(1, A) = 0.",
        discussion: "Exits with status 1 when a condition fails.")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @OptionGroup var gridOptions: GridOptions
    @Option(parsing: .unconditional, help: "Largest |f(1, A)| and |df/dr(1, A)| accepted as zero.") var tolerance: Double = 1e-6

    func validate() throws { try OptionCheck.requireFinite("--tolerance", tolerance, in: 0...1e6) }

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        let check = MirrorLearningCheck(grid: try gridOptions.grid(), tolerance: tolerance)
        let results = check.run(drift)
        print(drift.summary)
        for c in results {
            let verdict = c.holds ? "holds" : "FAILS"
            print("  \(c.name): \(verdict) (worst violation \(c.worstViolation) at r=\(c.worstRatio), A=\(c.worstAdvantage))")
        }
        if results.contains(where: { !$0.holds }) {
            print("not a valid Mirror-Learning drift")
            throw ExitCode(1)
        }
        print("valid Mirror-Learning drift")
    }
}

/// Writes `data` to `path` through a temporary file and a rename, so an interrupted write
/// never leaves a half-written file behind.
func writeAtomically(_ data: Data, to path: String) throws {
    do {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
}

struct DriftSave: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write a drift to an HDF5 drift file (readable by h5py).")

    @Argument(help: "Drift spec or drift file.", completion: Completions.drifts) var spec: String
    @Option(help: "Output drift file (.h5).") var out: String

    func run() throws {
        let drift = try RunSettings.makeDrift(spec)
        try DriftFile.write(drift, to: URL(fileURLWithPath: out), provenance: Provenance.attributes())
        print("wrote \(drift.summary) to \(out)")
    }
}
