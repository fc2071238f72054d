import ArgumentParser
import Figures
import Foundation
import MetaTraining

/// `driftlab meta-history`: how a meta-training run went, from its file's ES history.
struct MetaHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-history",
        abstract: "Show the fitness of a meta-training run generation by generation (table, JSON or plot).",
        discussion: """
        The table gives blocks of --every generations: the mean of the generations' population \
        mean fitness ± its standard error over the block, the best member, sigma and the \
        seconds per generation. With several inner environments fitness is a z-score across \
        the population (mean 0 by construction), so only the best member and the spread move.
        """)

    @Argument(help: "Meta-training files (data/meta/*.h5, or a drift file written by meta-train).") var files: [String]
    @Option(help: "Generations per table row.") var every: Int = 10
    @Option(help: "Trailing-mean window of the plot's thick line.") var window: Int = 10
    @Option(help: "Also draw the fitness curves to this image (.png, .pdf or .svg).") var png: String?
    @Flag(help: "Print every generation as JSON instead of the table.") var json = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one meta-training file") }
        guard (1...100_000).contains(every) else { throw ValidationError("--every must be in 1...100000, got \(every)") }
        guard (1...100_000).contains(window) else { throw ValidationError("--window must be in 1...100000, got \(window)") }
        if let png { try ImageFormat.check(png, option: "--png") }
    }

    func run() throws {
        let runs = try files.map { path in (path, try MetaTrainingFile.read(from: URL(fileURLWithPath: path))) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let object = Dictionary(uniqueKeysWithValues: runs.map { ($0.0, FitnessHistory($0.1.history).generations) })
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
        } else {
            for (path, contents) in runs { print(Self.table(path: path, contents: contents, every: every)) }
        }
        if let png {
            let series = runs.map { path, contents in
                let history = FitnessHistory(contents.history)
                return FitnessPlot.Series(label: ((path as NSString).lastPathComponent as NSString).deletingPathExtension,
                                          generations: history.generations.map { Double($0.generation + 1) },
                                          mean: history.generations.map(\.mean), smoothed: history.trailingMean(window: window),
                                          worst: history.generations.map(\.min), best: history.generations.map(\.max))
            }
            let yLabels = runs.map { $0.1.description.inner.environments.count > 1 ? "fitness (z-score)" : "mean return" }
            try FitnessPlot.figure(series, window: window, yLabels: yLabels)
                .write(to: URL(fileURLWithPath: png))
            note("wrote \(png)")
        }
    }

    /// The text summary of one file: its setting, cost, and a row per block of generations.
    static func table(path: String, contents: MetaTrainingFile.Contents, every: Int) -> String {
        let history = FitnessHistory(contents.history)
        let d = contents.description
        var lines = ["\(path): \(d.drift.rawValue) on \(d.inner.environments.joined(separator: "+")), population \(d.settings.populationSize), "
            + "\(d.inner.config.totalSteps) inner steps, \(history.generations.count) of \(d.generations) generations",
                     String(format: "cost: %.1f h in all, median %.0f s per generation", history.totalSeconds / 3600, history.medianSeconds),
                     "generations      mean fitness ± s.e.     best      sigma   s/gen"]
        for block in history.blocks(of: every) {
            // A block of one generation has no standard error: "-" rather than nan.
            let error = block.standardError.isFinite ? String(format: "%-8.3f", block.standardError) : "-       "
            lines.append(String(format: "%5d-%-5d %12.3f ± %@ %10.3f %8.4f %7.0f", block.first + 1, block.last + 1,
                                block.mean, error, block.best, block.sigma, block.seconds))
        }
        return lines.joined(separator: "\n")
    }
}
