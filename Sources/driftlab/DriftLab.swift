import ArgumentParser
import Foundation

/// The `driftlab` command: a thin front end over the DriftLab modules.
@main
struct DriftLab: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "driftlab",
        abstract: "Discover and understand policy-optimisation drifts (Lu et al., Discovered Policy Optimisation, NeurIPS 2022).",
        version: version,
        subcommands: [TrainCommand.self, EvalCommand.self, MetaTrainCommand.self, RunsCommand.self, DriftCommand.self, FigureCommand.self, FiguresCommand.self, EnvCommand.self, NotebookCommand.self, BenchCommand.self])

    /// Parses and runs a command. Writing past `ulimit -f` then fails with EFBIG ("File too
    /// large"), reported like any other write error, instead of SIGXFSZ killing the process
    /// without a word.
    static func main() {
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
