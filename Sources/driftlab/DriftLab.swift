import ArgumentParser
import CMemory
import Foundation

/// The `driftlab` command: a thin front end over the DriftLab modules.
@main
struct DriftLab: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "driftlab",
        abstract: "Discover and understand policy-optimisation drifts (Lu et al., Discovered Policy Optimisation, NeurIPS 2022).",
        version: version,
        subcommands: [TrainCommand.self, SweepCommand.self, EvalCommand.self, MetaTrainCommand.self, MetaHistoryCommand.self, MetaReplayCommand.self, MetaSignalCommand.self, RunsCommand.self, PlotCommand.self, DriftCommand.self, FigureCommand.self, FiguresCommand.self, EnvCommand.self, NotebookCommand.self, BenchCommand.self])

    /// Parses and runs a command. Writing past `ulimit -f` then fails with EFBIG ("File too
    /// large"), reported like any other write error, instead of SIGXFSZ killing the process
    /// without a word.
    ///
    /// After an error the process ends with `_exit`, skipping the C libraries' exit handlers:
    /// when a write failed (a full disk), libhdf5 1.10's handler closes the broken file again
    /// and segfaults after the error was reported. Nothing is lost by skipping it: DriftLab
    /// closes every file it writes before reporting (writes go to a temporary file that is
    /// then renamed), and output streams are flushed here.
    static func main() {
        signal(SIGXFSZ, SIG_IGN)
        if let choice = ProcessInfo.processInfo.environment["DRIFTLAB_GEMM"], !["openblas", "auto"].contains(choice) {
            // A misspelt value would silently switch kernels, which is what the variable exists to prevent.
            FileHandle.standardError.write(Data("Error: DRIFTLAB_GEMM='\(choice)': use openblas (OpenBLAS alone) or auto (DriftLab's AVX-512 kernel where the CPU has it)\n".utf8))
            _exit(64)
        }
        // A training step allocates and frees matrices of a few megabytes (Brax minibatches);
        // glibc hands such blocks back to the kernel, and each reuse then costs page faults
        // and zeroed pages (4% of a HalfCheetah run in perf). Results do not change.
        driftlab_keep_freed_memory()
        if let message = SubcommandCheck.error(for: Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
            _exit(64)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            fflush(nil)
            _exit(code.rawValue)
        }
    }
}
