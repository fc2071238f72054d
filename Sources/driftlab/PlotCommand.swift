import Analysis
import ArgumentParser
import Figures
import Foundation
import Training

/// `driftlab plot`: curves of any runs, no manifest needed.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot a curve of any runs: one panel per env, the mean ± s.e. over seeds per label.",
        discussion: """
        Runs are labelled by their drift (a drift file by its name) or by LABEL=GLOB. Paths and \
        globs are relative to the working directory. Each label's curve spans the steps all its \
        runs cover.
        """)

    @Argument(help: "Run files, folders (searched recursively for *.h5), globs, or LABEL=GLOB.") var runs: [String]
    @Option(help: "The curve to plot (episode_return, eval_return, entropy, approx_kl, ...).") var metric: String = "episode_return"
    @Option(help: "The horizontal axis: env_steps or update.") var x: XAxis = .envSteps
    @Option(help: "Smooth each run with a trailing mean over this many updates (1: none).") var smooth: Int = 1
    @Option(help: "Output image (.png, .pdf or .svg).") var out: String = "plot.png"
    @Option(help: "Figure title (default: the curve and the smoothing).") var title: String?

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case envSteps = "env_steps", update
    }

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run file, folder or glob") }
        let names = UpdateMetrics.curves.map(\.name)
        guard names.contains(metric) else {
            throw ValidationError("--metric '\(metric)' is not a curve; curves: " + names.joined(separator: ", "))
        }
        guard (1...100_000).contains(smooth) else { throw ValidationError("--smooth must be in 1...100000, got \(smooth)") }
        try ImageFormat.check(out, option: "--out")
    }

    func run() throws {
        let loaded = try RunSelection(runs).load()
        try RunsPlot.figure(loaded, curve: metric, x: x.rawValue, smooth: smooth, title: title).write(to: URL(fileURLWithPath: out))
        let envs = Set(loaded.map(\.env)).count, labels = Set(loaded.map(\.label)).count
        print("wrote \(out): \(metric) of \(loaded.count) runs, \(envs) env\(envs == 1 ? "" : "s"), \(labels) label\(labels == 1 ? "" : "s")")
    }
}
