import Analysis
import ArgumentParser
import Drifts
import Foundation
import MetaTraining

/// `driftlab meta-replay`: the ES mean of every generation of a meta-training run, rebuilt
/// from its recorded fitness (ESReplay): how far the search moved and how the drift's shape
/// changed on the way, or the drift of one generation as a file to train with.
struct MetaReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-replay",
        abstract: "Rebuild the ES mean of each generation of a meta-training run: its distance from the start and its drift features, or one generation's drift as a file.",
        discussion: """
        The file keeps only the current mean; OpenAI-ES is deterministic given the seed and \
        the recorded fitness, so the replay rebuilds every earlier mean and checks that it ends \
        bit for bit at the state the file stores (an error says what differs). Generation g \
        is the mean after g generations (0: the start, PPO for lpo). The table gives every \
        --every generations the distance |mean - start|, the step since the previous row and \
        the scores of `drift features` (yes/no for each). --out writes the drift of \
        --generation (default: the last) as a drift file, to train or sweep with.
        """)

    @Argument(help: "Meta-training file (data/meta/*.h5).") var file: String
    @Option(help: "Generations per table row.") var every: Int = 10
    @Option(help: "With --out: the generation whose mean to write (default: the last).") var generation: Int?
    @Option(help: "Write the mean of --generation as a drift file (.h5).") var out: String?
    @OptionGroup var gridOptions: GridOptions
    @Flag(help: "Print the table's rows as JSON.") var json = false

    func validate() throws {
        try OptionCheck.require("--every", every, in: 1...100_000)
        if generation != nil && out == nil { throw ValidationError("--generation needs --out (the file to write its drift to)") }
        if let out {
            guard out.hasSuffix(".h5") else { throw ValidationError("--out '\(out)' must end in .h5 (a drift file)") }
            let same = URL(fileURLWithPath: out).standardizedFileURL.resolvingSymlinksInPath()
                == URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath()
            if same { throw ValidationError("--out '\(out)' is the meta-training file itself; write the drift elsewhere") }
        }
    }

    /// One row of the table.
    struct Row: Encodable {
        var generation: Int
        var distanceFromStart: Double
        var step: Double?
        var features: DriftFeatures
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let contents = try MetaTrainingFile.read(from: url)
        let d = contents.description
        let last = contents.history.count
        let template = try NetworkDrift.make(d.drift, xi: d.xi)
        if let out {
            let g = generation ?? last
            let mean = try ESReplay.mean(contents, afterGenerations: g)
            let drift = try template.with(parameters: mean)
            try DriftFile.write(drift, to: URL(fileURLWithPath: out), provenance: Provenance.attributes().merging(
                ["replayed_from": file, "es_generations": String(g)]) { a, _ in a })
            print("wrote the mean after \(g) of \(last) generations of \(file) (\(drift.summary)) to \(out)")
            return
        }
        let grid = try gridOptions.grid()
        var rows: [Row] = []
        var start: [Float] = [], previous: [Float] = []
        try ESReplay.visit(contents) { g, mean in
            if g == 0 { start = mean }
            guard g % every == 0 || g == last else { return }
            let features = try DriftFeatures.detect(ObjectiveMap(drift: try template.with(parameters: mean), grid: grid))
            rows.append(Row(generation: g, distanceFromStart: Self.distance(mean, start),
                            step: previous.isEmpty ? nil : Self.distance(mean, previous), features: features))
            previous = mean
        }
        if json {
            print(try jsonString(rows))
            return
        }
        print("\(file): \(d.drift.rawValue) on \(d.inner.environments.joined(separator: "+")), "
            + "\(last) generations replayed to the stored ES state, bit for bit")
        print("generation  |mean-start|      step   rollback    pull-back   cautious-opt.   asymmetry")
        for row in rows {
            let step = row.step.map { String(format: "%9.4f", $0) } ?? "        -"
            func cell(_ f: DriftFeatures.Feature, _ width: Int) -> String {
                String(format: "%@ %@", f.present ? "yes" : " no", String(format: "%.3f", f.score))
                    .padding(toLength: width, withPad: " ", startingAt: 0)
            }
            let line = String(format: "%10d  %12.4f %@", row.generation, row.distanceFromStart, step) + "   "
                + cell(row.features.rollback, 12) + cell(row.features.pullBack, 12)
                + cell(row.features.cautiousOptimism, 16) + cell(row.features.asymmetry, 10)
            print(line.droppingTrailingSpaces)
        }
    }

    /// Euclidean distance between two parameter vectors, in double precision.
    static func distance(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }.squareRoot()
    }
}
