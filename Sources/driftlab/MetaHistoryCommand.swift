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
        the population (mean 0 by construction), so the table adds each environment's mean \
        return ± its standard error over the block (from the raw returns the file records; \
        "-" for generations recorded before they were kept).
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
            // jsonString writes NaN (a generation whose runs all broke) as "nan" rather than failing.
            print(try jsonString(Dictionary(uniqueKeysWithValues: runs.map { ($0.0, FitnessHistory($0.1.history).generations) })))
        } else {
            for (path, contents) in runs { print(Self.table(path: path, contents: contents, every: every)) }
        }
        if let png {
            // A z-scored fitness has mean 0 by construction, so a run on several environments
            // gets a panel per environment of its members' raw returns instead.
            let series = runs.flatMap { path, contents in Self.panels(name: path, contents: contents, window: window) }
            try FitnessPlot.figure(series.map(\.series), window: window, yLabels: series.map(\.yLabel))
                .write(to: URL(fileURLWithPath: png))
            note("wrote \(png)")
        }
    }

    /// The plot panels of one file: its fitness, or with several environments each one's
    /// raw return (generations recorded before raw returns were kept are gaps).
    static func panels(name path: String, contents: MetaTrainingFile.Contents, window: Int)
        -> [(series: FitnessPlot.Series, yLabel: String)] {
        let history = FitnessHistory(contents.history)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let x = history.generations.map { Double($0.generation + 1) }
        let environments = contents.description.inner.environments
        // One environment, or a file from before raw returns were kept: the fitness itself.
        guard environments.count > 1, history.generations.contains(where: { $0.taskMeans != nil }) else {
            return [(FitnessPlot.Series(label: name, generations: x, mean: history.generations.map(\.mean),
                                        smoothed: history.trailingMean(window: window),
                                        worst: history.generations.map(\.min), best: history.generations.map(\.max)),
                     environments.count > 1 ? "fitness (z-score)" : "mean return")]
        }
        return environments.enumerated().map { e, environment in
            func column(_ values: (FitnessHistory.Generation) -> [Double]?) -> [Double] {
                history.generations.map { values($0)?[e] ?? .nan }
            }
            let mean = column(\.taskMeans)
            return (FitnessPlot.Series(label: "\(name): \(environment)", generations: x, mean: mean,
                                       smoothed: FitnessHistory.trailingMean(mean, window: window),
                                       worst: column(\.taskMin), best: column(\.taskMax)),
                    "mean return")
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
        let environments = d.inner.environments.count > 1 ? d.inner.environments : []
        // Each environment's column is as wide as its name, and at least "123.456 ± 12.345".
        let widths = environments.map { max($0.count, 17) }
        lines[2] += zip(environments, widths).map { "  " + $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined()
        for block in history.blocks(of: every) {
            // A block of one generation has no standard error: "-" rather than nan.
            let error = block.standardError.isFinite ? String(format: "%-8.3f", block.standardError) : "-       "
            var line = String(format: "%5d-%-5d %12.3f ± %@ %10.3f %8.4f %7.0f", block.first + 1, block.last + 1,
                              block.mean, error, block.best, block.sigma, block.seconds)
            for (e, width) in widths.enumerated() {
                let mean = e < block.taskMeans.count ? block.taskMeans[e] : .nan
                let se = e < block.taskStandardErrors.count ? block.taskStandardErrors[e] : .nan
                let cell = !mean.isFinite ? "-" : se.isFinite ? String(format: "%.3f ± %.3f", mean, se) : String(format: "%.3f", mean)
                line += "  " + cell.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        // The padded last column leaves trailing spaces.
        return lines.map(\.droppingTrailingSpaces).joined(separator: "\n")
    }
}
