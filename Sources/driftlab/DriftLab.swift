import ArgumentParser

/// The `driftlab` command: a thin front end over the DriftLab modules.
@main
struct DriftLab: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "driftlab",
        abstract: "Discover and understand policy-optimisation drifts (Lu et al., Discovered Policy Optimisation, NeurIPS 2022).",
        version: version,
        subcommands: [TrainCommand.self, EvalCommand.self, MetaTrainCommand.self, RunsCommand.self, PlotCommand.self, DriftCommand.self, FigureCommand.self, FiguresCommand.self, EnvCommand.self, NotebookCommand.self, BenchCommand.self])
}
