import ArgumentParser
import Drifts
import Environments
import Foundation
import MetaTraining
import Storage
import TaskCatalog
import Tensors
import Training

/// `driftlab meta-train`: discover a drift network with Evolution Strategies.
struct MetaTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-train",
        abstract: "Discover a drift network with OpenAI-ES; each member's fitness is a whole training run with it.",
        discussion: """
        The output is a drift file whose /drift group is always the current ES mean (usable by every
        `driftlab drift` command), with the ES state and history under /es; it is rewritten after every
        generation, and --resume continues it; rerunning the same command (the same --out and \
        settings) continues it too, and a file of a run with other settings is refused. Example:
          driftlab meta-train --env cartpole --drift lpo --generations 50 --population 16 --inner-steps 50000 --out lpo.h5
        """)

    @Option(help: "Inner task (repeat for several; fitness then z-scores each task's returns across the population).",
            completion: Completions.environments)
    var env: [String] = []
    @Option(help: "Drift family: lpo, lpo-zero or ta-lpo.") var drift: String = "lpo"
    @Option(parsing: .unconditional, help: "Generations in total (default 100; with --resume, a new total for the run).") var generations: Int?
    @Option(parsing: .unconditional, help: "Population size (even: antithetic pairs).") var population: Int = 32
    @Option(parsing: .unconditional, help: "Environment steps of each inner training run.") var innerSteps: Int?
    @Option(help: ArgumentHelp("Inner preset (default: by environment): \(Completions.presetHelp).", valueName: "preset"),
            completion: Completions.presets) var preset: String?
    @Option(name: .customLong("set"), help: "Override an inner hyperparameter: key=value (repeatable).") var overrides: [String] = []
    @Option(parsing: .unconditional, help: "Evaluation episodes of each inner run's final policy.") var evalEpisodes: Int = 32
    @Option(help: "Fitness shaping: z-score (reference code) or centered-ranks.") var shaping: FitnessShaping = .zScore
    @Option(parsing: .unconditional, help: "ES initial sigma.") var sigma: Double = 0.04
    @Option(parsing: .unconditional, help: "Factor on sigma after every generation (1: constant sigma).")
    var sigmaDecay: Double = OpenAIES.Params().sigmaDecay
    @Option(parsing: .unconditional, help: "ES learning rate.") var learningRate: Double = 0.01
    @Option(help: "MinAtar convention of the inner tasks.") var convention: MinAtarConvention = .gymnax
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Output drift file.") var out: String?
    @Option(help: "Continue the meta-training run in this file.") var resume: String?
    @Option(name: .customLong("workers"), parsing: .unconditional,
            help: "Parallel inner runs, one core each (default: this machine's cores).")
    var workersOption: Int?
    /// `--workers`, or one per core.
    var workers: Int { workersOption ?? ProcessInfo.processInfo.activeProcessorCount }
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if let generations { try OptionCheck.require("--generations", generations, in: 1...1_000_000) }
        try OptionCheck.require("--population", population, in: 2...ESSettings.maximumPopulationSize)
        if let innerSteps { try OptionCheck.require("--inner-steps", innerSteps, in: 0...TrainingConfig.Limit.totalSteps) }
        try OptionCheck.require("--eval-episodes", evalEpisodes, in: 1...TrainingConfig.Limit.evalEpisodes)
        try OptionCheck.requireFinite("--sigma", sigma, in: Double.leastNonzeroMagnitude...1e6)
        try OptionCheck.requireFinite("--sigma-decay", sigmaDecay, in: Double.leastNonzeroMagnitude...1)
        try OptionCheck.requireFinite("--learning-rate", learningRate, in: Double.leastNonzeroMagnitude...1e6)
        try OptionCheck.require("--workers", workers, in: 1...4096)
        if resume == nil {
            guard out != nil else { throw ValidationError("--out DRIFT.h5 is required (or --resume DRIFT.h5)") }
            _ = try description()
        }
    }

    func run() throws {
        if let existing = resume ?? out.flatMap({ FileManager.default.fileExists(atPath: $0) ? $0 : nil }) {
            Self.continueWithTheKernelsOf(existing)
        }
        BLAS.setThreads(1)
        let stop = StopSignal.install()
        // Under mpirun: rank 0 runs the ES and writes the file, the others evaluate members.
        let mpi = MPICommunicator.isLaunchedByMPI ? try MPICommunicator() : nil
        if let mpi, mpi.rank != 0 { return try MetaTrainingRun.serveMPIRank(mpi, workers: workers) }
        // Held for the whole run: a second writer of the same file gets a clear error.
        let label = resume ?? out!
        let lock = try OutputLock.acquire(URL(fileURLWithPath: label))
        defer { lock.release() }
        let run = try openRun()
        if let mpi { try run.coordinate(mpi) }
        try metaTrain(run, label: label, mpi: mpi, stop: stop)
    }

    /// A meta-training run is one computation: a file begun with OpenBLAS's kernels alone
    /// (the first entry of its `blas_core` lacks `DriftLab-AVX512`) continues with them, as if
    /// `DRIFTLAB_GEMM=openblas` were set, unless `DRIFTLAB_GEMM` says otherwise. Every MPI rank
    /// reads the same file, so all choose alike. Runs before the first matrix product.
    static func continueWithTheKernelsOf(_ path: String) {
        guard ProcessInfo.processInfo.environment["DRIFTLAB_GEMM"] == nil,
              let file = try? HDF5File.open(URL(fileURLWithPath: path)),
              let stored = try? file.root.attribute(ProvenanceHistory.kernelKey, as: String.self),
              let first = stored.split(separator: ",").first, !first.contains("DriftLab-AVX512") else { return }
        setenv("DRIFTLAB_GEMM", "openblas", 1)
    }

    /// The run to continue (`--resume`, or `--out` naming a file of the same run) or to start
    /// (`--out`). Rerunning a whole `meta-train` command continues its file, as a sweep
    /// continues its runs; a file of a run with other settings is refused with what differs,
    /// so a command never extends a computation it does not describe.
    private func openRun() throws -> MetaTrainingRun {
        if let resume {
            return try MetaTrainingRun.resume(from: URL(fileURLWithPath: resume), provenance: Provenance.attributes(),
                                              workers: workers, generations: generations)
        }
        let out = out!, url = URL(fileURLWithPath: out)
        let wanted = try description()
        guard FileManager.default.fileExists(atPath: out) else {
            return try MetaTrainingRun(description: wanted, url: url, provenance: Provenance.attributes(), workers: workers)
        }
        let stored = try MetaTrainingFile.read(from: url)
        let differences = try wanted.differences(from: stored.description)
        guard differences.isEmpty else {
            let shown = differences.prefix(3).joined(separator: "; ") + (differences.count > 3 ? "; and \(differences.count - 3) more" : "")
            throw CLIError("'\(out)' holds a meta-training run with other settings (\(shown)): continue it as it is with "
                           + "--resume \(out), or write this one to another --out")
        }
        return try MetaTrainingRun.resume(from: url, provenance: Provenance.attributes(), workers: workers, generations: generations)
    }

    private func metaTrain(_ run: MetaTrainingRun, label: String, mpi: MPICommunicator?, stop: StopSignal) throws {
        if !quiet {
            let d = run.description
            if let mpi { print("MPI: \(mpi.size) ranks, \(workers) workers each") }
            print("meta-training \(d.drift.rawValue) on \(d.inner.environments.joined(separator: ", ")): population "
                  + "\(d.settings.populationSize), \(d.inner.config.totalSteps) inner steps, \(workers) workers, "
                  + "generation \(run.state.generation)/\(d.generations) -> \(label)")
        }
        let start = Date()
        let startGeneration = run.state.generation
        // In a terminal, a bar over the generation's members (a generation can take minutes);
        // piped output keeps one line per generation.
        // Under MPI rank 0 evaluates every size-th member itself.
        let population = run.description.settings.populationSize
        let members = mpi.map { (population + $0.size - 1) / $0.size } ?? population
        let barred = !quiet && isatty(STDOUT_FILENO) != 0
        func newBar() -> CountProgress? { barred ? CountProgress(total: members, unit: "members", quiet: false) : nil }
        let bar = LockedValue(newBar())
        run.memberFinished = { bar.withValue { $0?.advance() } }
        try run.run(shouldStop: { stop.requested }) { record in
            bar.withValue { $0?.finish(); $0 = newBar() }
            guard !quiet else { return }
            let f = record.fitness.filter(\.isFinite)
            let done = run.state.generation - startGeneration
            let eta = Date().timeIntervalSince(start) / Double(done) * Double(run.description.generations - run.state.generation)
            // With several tasks the fitness is a z-score (mean 0): the raw mean return per task
            // is what shows progress.
            let environments = run.description.inner.environments
            let tasks = environments.count > 1 && record.returns != nil
                ? ", mean return " + zip(environments, FitnessHistory.columnSummary(record.returns!).means)
                    .map { String(format: "%@ %.2f", $0, $1) }.joined(separator: ", ")
                : ""
            print(String(format: "generation %d/%d: fitness mean %.3f max %.3f min %.3f%@, sigma %.4f, %.1f s, ETA %@",
                         record.generation + 1, run.description.generations, f.reduce(0, +) / Double(max(f.count, 1)),
                         f.max() ?? .nan, f.min() ?? .nan, tasks, record.sigma, record.seconds, ProgressLine.duration(eta)))
            fflush(nil)
        }
        if let mpi { try mpi.finalize() }
        if stop.requested {
            print("interrupted after generation \(run.state.generation); continue with: driftlab meta-train --resume \(label)")
            throw ExitCode(130)
        }
        if !quiet { print("done: \(run.state.generation) generations; the mean drift is in \(label)") }
    }

    func description() throws -> MetaTrainingDescription {
        guard !env.isEmpty else { throw ValidationError("give at least one --env") }
        let env = try self.env.map(EnvironmentNames.resolve)
        guard let kind = DriftKind(rawValue: drift), NetworkDrift.architecture(of: kind) != nil else {
            throw ValidationError("--drift '\(drift)' must be lpo, lpo-zero or ta-lpo")
        }
        guard evalEpisodes >= 1 else { throw ValidationError("--eval-episodes must be at least 1") }
        let presetValue = try resolvePreset(preset, environment: env[0])
        // The inner run is the preset's algorithm, shards included (they run in turn on the
        // member's core), so it equals `driftlab train` with the same settings.
        var pairs = try parseOverrides(overrides)
        if let innerSteps { pairs.append(("totalSteps", "\(innerSteps)")) }
        let config = try presetValue.config.applying(pairs)
        var params = OpenAIES.Params()
        params.sigmaInit = sigma
        params.sigmaDecay = sigmaDecay
        params.learningRate = learningRate
        let template = try NetworkDrift.make(kind)
        return MetaTrainingDescription(
            drift: kind, xi: NetworkDrift.defaultXi,
            settings: ESSettings(dimension: template.parameterCount, populationSize: population, fitnessShaping: shaping),
            params: params, seed: seed, generations: generations ?? 100,
            inner: InnerTraining(environments: env, convention: convention.rawValue, config: config, evaluationEpisodes: evalEpisodes))
    }
}
extension FitnessShaping: ExpressibleByArgument {}
