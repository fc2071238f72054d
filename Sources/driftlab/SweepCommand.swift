import ArgumentParser
import Foundation
import MetaTraining
import Sweeps
import Tensors
import Training

/// `driftlab sweep`: every environment x drift x seed of a sweep file, resumable, on local
/// cores or MPI ranks; `driftlab sweep status` says where it stands.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every env x drift x seed of a sweep file (TOML), skipping finished runs and resuming partial ones.",
        discussion: """
        Runs land in <out-dir>/<env>-<label>/<seed>.h5, seed-major (seed 0 of every env x drift first). \
        A complete run is never retrained, a partial one continues from its checkpoint, and finished runs \
        are compacted. Ctrl-C or SIGTERM checkpoints every active run. Relative paths in the file are \
        relative to the current directory: run from the project root. The file format is in \
        docs/FILE-FORMATS.md ("Sweep files").

        Examples:
          driftlab sweep sweeps/figure-7.toml
          driftlab sweep sweeps/figure-6.toml --envs ant --set numEnvs=2048 --steps 3e7 --out-dir runs/paper
          mpirun -np 64 driftlab sweep sweeps/figure-6.toml
          driftlab sweep status sweeps/figure-6.toml
        """,
        subcommands: [SweepRunCommand.self, SweepStatusCommand.self],
        defaultSubcommand: SweepRunCommand.self)
}

/// Options naming the runs of a sweep: the file and command-line overrides.
struct SweepSelection: ParsableArguments {
    @Argument(help: "Sweep file (TOML).") var file: String
    @Option(name: .customLong("set"), help: "Override a training key for every run: key=value (repeatable; after the file's [settings]).")
    var overrides: [String] = []
    @Option(help: "Total environment steps of every run, e.g. 3e7 (after the file's [settings]).") var steps: String?
    @Option(help: "Put the runs here instead of the file's out-dir.") var outDir: String?
    @Option(help: "Only these seeds (e.g. 0 or 0-4) instead of the file's.") var seeds: String?
    @Option(help: "Only these of the file's environments, comma-separated (e.g. ant,humanoid).") var envs: String?
    @Option(help: "Only these of the file's drift labels, comma-separated (e.g. ppo,dpo).") var labels: String?
    @Option(help: ArgumentHelp("Take the file's relative paths (out-dir, drift files) and --out-dir from this directory "
                               + "instead of the current one, e.g. the project root from a notebook.", valueName: "dir"))
    var root: String?

    func validate() throws {
        if let steps, Double(steps).map({ $0 >= 1 && $0 == $0.rounded() }) != true {
            throw ValidationError("--steps '\(steps)' must be a whole number of steps, e.g. 1000000 or 3e7")
        }
    }

    func load() throws -> (plan: SweepPlan, runs: [PlannedRun]) {
        // The file itself is named from the current directory; with --root it is made absolute first.
        let fileURL = root == nil ? URL(fileURLWithPath: file) : URL(fileURLWithPath: file).absoluteURL.standardizedFileURL
        if let root {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
                  FileManager.default.changeCurrentDirectoryPath(root) else {
                throw CLIError("--root: '\(root)' is not a directory")
            }
        }
        var plan = try SweepPlan.read(fileURL)
        if let envs {
            let chosen = envs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if let other = chosen.first(where: { !plan.envs.contains($0) }) {
                throw CLIError("--envs: '\(other)' is not in \(file) (its envs: \(plan.envs.joined(separator: ", ")))")
            }
            plan.envs = plan.envs.filter(chosen.contains)
        }
        if let labels {
            let chosen = labels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let known = plan.drifts.map(\.label)
            if let other = chosen.first(where: { !known.contains($0) }) {
                throw CLIError("--labels: '\(other)' is not in \(file) (its labels: \(known.joined(separator: ", ")))")
            }
            plan.drifts = plan.drifts.filter { chosen.contains($0.label) }
        }
        if let seeds {
            do { plan.seeds = try SeedList.parse(seeds) } catch { throw CLIError("--\(error)") }
        }
        var extra = try parseOverrides(overrides).map { SweepPlan.Setting(key: $0.key, value: $0.value) }
        if let steps { extra.append(SweepPlan.Setting(key: "totalSteps", value: steps)) }
        return (plan, try plan.runs(extra: extra, outDir: outDir))
    }
}

/// `driftlab sweep FILE`.
struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Train the sweep's runs (the default: `driftlab sweep FILE`).")

    @OptionGroup var selection: SweepSelection
    @Option(help: "Runs trained at once, one core each (default: all cores; under mpirun: 1 per rank, 0 = rank 0 only coordinates).")
    var workers: Int?
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if let workers, workers < 0 { throw ValidationError("--workers must be >= 0, got \(workers)") }
        if workers == 0 && !MPICommunicator.isLaunchedByMPI {
            throw ValidationError("--workers 0 leaves no one to train: it is for rank 0 of an mpirun job with other ranks")
        }
    }

    func run() throws {
        // Runs are the parallel unit: one core each, BLAS and environment stepping single-threaded.
        BLAS.setThreads(1)
        let stop = StopSignal.install()
        let (plan, runs) = try selection.load()
        let executor = RunExecutor(provenance: Provenance.attributes(), parallelism: 1, compactsFinishedRuns: true)
        let mpi = MPICommunicator.isLaunchedByMPI ? try MPICommunicator() : nil
        if let mpi, mpi.rank != 0 {
            try MPISweepRunner(executor: executor, communicator: mpi).serve(shouldStop: { stop.requested })
            try mpi.finalize()
            return
        }
        let localWorkers = workers ?? (mpi == nil ? ProcessInfo.processInfo.activeProcessorCount : 1)
        guard localWorkers > 0 || (mpi?.size ?? 1) > 1 else {
            throw ValidationError("--workers 0 leaves no one to train: it is for rank 0 of an mpirun job with other ranks")
        }
        let progress = SweepProgress(runs: runs, quiet: quiet, live: mpi == nil)
        if !quiet {
            let ranks = mpi.map { ", MPI: \($0.size) ranks (rank 0 with \(localWorkers) workers)" } ?? ", \(localWorkers) workers"
            print("sweep \(plan.path): \(runs.count) runs (\(plan.envs.count) envs x \(plan.drifts.count) drifts x "
                  + "\(plan.seeds.count) seeds)\(ranks) -> \(selection.outDir ?? plan.outDir)/")
            fflush(nil)
        }
        let result: SweepResult
        if let mpi {
            result = try MPISweepRunner(executor: executor, communicator: mpi)
                .coordinate(runs, localWorkers: localWorkers, shouldStop: { stop.requested }, events: progress.handle)
            try mpi.finalize()
        } else {
            result = SweepRunner(executor: executor).run(runs, workers: localWorkers, shouldStop: { stop.requested },
                                                         events: progress.handle)
        }
        progress.finish()
        if !quiet { print(try SweepStatus.read(plan, runs: runs).table) }
        if !result.failures.isEmpty {
            throw SweepError.runsFailed(count: result.failures.count, of: runs.count, first: result.failures[0].message)
        }
        if stop.requested {
            print("interrupted: active runs checkpointed; continue with: \(commandLineText())")
            throw ExitCode(130)
        }
        if !quiet { print("sweep complete: \(result.skipped) runs were already complete, \(result.updatesTrained) updates trained") }
    }
}

/// `driftlab sweep status FILE`.
struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per env x drift: complete, partial (at what step) and missing seeds, and the final eval return. Read-only.")

    @OptionGroup var selection: SweepSelection
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let (plan, runs) = try selection.load()
        let status = try SweepStatus.read(plan, runs: runs)
        print(json ? try jsonString(status) : status.table)
    }
}
