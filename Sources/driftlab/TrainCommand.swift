import ArgumentParser
import Dispatch
import Drifts
import Environments
import Foundation
import Storage
import Sweeps
import TaskCatalog
import Tensors
import Training

/// `driftlab train`: one trainer for every drift; run files with curves and checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a policy with a drift (PPO, DPO, LPO, or a drift file) and write a run file.",
        discussion: """
        Examples:
          driftlab train --env breakout --drift dpo --steps 1000000 --out b-dpo.h5
          driftlab train --resume b-dpo.h5
          driftlab train --env cartpole --seeds 0-9 --out-dir runs/cartpole-ppo
          driftlab train --env cartpole --print-config > cartpole.toml
          driftlab train --config cartpole.toml --out run.h5
        Override any hyperparameter with --set key=value (--set learningRate=1e-3
        or --set learning-rate=1e-3) or --config FILE.toml (what --print-config
        prints; flags win over the file). Ctrl-C writes a checkpoint before
        exiting; --resume continues it.
        """)

    @Option(help: "Environment (see `driftlab env list`; Gymnasium and gymnax names such as CartPole-v1 work too).",
            completion: Completions.environments) var env: String?
    @Option(help: "Drift spec or drift file (default: ppo).", completion: Completions.drifts) var drift: String?
    @Option(help: ArgumentHelp("Preset (default: by environment): \(Completions.presetHelp).", valueName: "preset"),
            completion: Completions.presets) var preset: String?
    @Option(parsing: .unconditional, help: """
        Total environment steps (default: the preset's; --print-config shows it). Rounded down to whole updates \
        of numEnvs x rolloutSteps steps, with a note when that happens. With --resume, a larger total extends the run.
        """) var steps: Int?
    @Option(help: "Seed (default: 0).") var seed: UInt64?
    @Option(help: "Seeds to train in parallel, e.g. 0-9 or 0,3,5 (with --out-dir).") var seeds: String?
    @Option(help: "Output run file.") var out: String?
    @Option(help: "Output folder for --seeds (files SEED.h5).") var outDir: String?
    @Option(help: "MinAtar convention: gymnax (as the paper's MinAtar runs; the default) or original.") var convention: MinAtarConvention?
    @Option(name: .customLong("set"), help: "Override a hyperparameter: key=value (repeatable; camelCase or kebab-case keys).")
    var overrides: [String] = []
    @Option(help: "Config file: TOML as --print-config writes it (env, drift, preset, seed, steps and hyperparameters), or key = value lines.",
            completion: .file(extensions: ["toml"])) var config: String?
    @Flag(help: "Print the fully resolved settings as TOML (usable as --config) and exit.") var printConfig = false
    @Option(help: "Continue the run in this run file from its latest checkpoint.", completion: .file(extensions: ["h5"])) var resume: String?
    @Option(parsing: .unconditional, help: "Save every K-th rollout under /rollouts in the run file (0 = none).") var saveRollouts: Int = 0
    @Option(parsing: .unconditional, help: "Cores stepping the environments (default: all; 1 per run with --seeds).") var parallelism: Int?
    @Flag(help: "Replace an existing --out file instead of refusing.") var overwrite = false
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if let steps { try OptionCheck.require("--steps", steps, in: 0...TrainingConfig.Limit.totalSteps) }
        try OptionCheck.require("--save-rollouts", saveRollouts, in: 0...Int.max)
        if let parallelism { try OptionCheck.require("--parallelism", parallelism, in: 1...4096) }
        if let seeds { _ = try Self.parseSeeds(seeds) }
        if resume != nil {
            guard env == nil, seeds == nil, config == nil else {
                throw ValidationError("--resume takes no --env, --seeds or --config: the run file says what to run")
            }
            return
        }
        // Names, the preset and every override are checked before anything is written.
        _ = try description()
        if printConfig { return }
        if seeds != nil {
            guard out == nil, outDir != nil else { throw ValidationError("--seeds writes one file per seed: give --out-dir DIR, not --out") }
        } else if out == nil {
            throw ValidationError("--out RUN.h5 is required")
        }
    }

    func run() throws {
        BLAS.setThreads(1)
        if printConfig { return print(try printedConfig()) }
        let stop = StopSignal.install()
        if let resume { return try resumeRun(resume, stop: stop) }
        if let seeds, let outDir { return try trainSeeds(try Self.parseSeeds(seeds), outDir: outDir, stop: stop) }
        try trainNew(out!, stop: stop)
    }

    // MARK: Settings

    /// The settings of the config file, then the flags over them.
    func settings() throws -> RunSettings {
        let file = try config.map { try RunSettings.read(URL(fileURLWithPath: $0)) } ?? RunSettings()
        let flags = RunSettings(env: env, drift: drift, preset: preset, seed: seed, convention: convention?.rawValue,
                                steps: steps, hyperparameters: try parseOverrides(overrides).map { .init(key: $0.key, value: $0.value) })
        return file.overridden(by: flags)
    }

    /// The run to train, resolved and checked.
    func description() throws -> RunDescription {
        try settings().resolve(saveRolloutsEvery: saveRollouts)
    }

    /// `--print-config`: a new run's settings, or those of the `--resume` file.
    func printedConfig() throws -> String {
        let d = try resume.map { try RunFile.read(from: URL(fileURLWithPath: $0)).description } ?? description()
        var comment = "driftlab train settings (use with --config FILE.toml; flags given with it win)"
        if let note = RunSettings.roundingNote(d.config) { comment += "\nnote: " + note }
        return RunSettings.toml(for: d, comment: comment)
    }

    // MARK: Training

    private func trainNew(_ out: String, stop: StopSignal) throws {
        let description = try description()
        // `--out runs/x.h5` in a fresh folder: make `runs/`, as --out-dir does.
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true)
        let lock = try OutputLock.acquire(URL(fileURLWithPath: out))
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: out) && !overwrite {
            throw CLIError("'\(out)' exists: continue it with --resume \(out), or replace it with --overwrite")
        }
        let run = try TrainingRun(description: description, drift: try RunSettings.makeDrift(description.drift),
                                  url: URL(fileURLWithPath: out), provenance: Provenance.attributes(), parallelism: parallelism)
        try train(run, stop: stop, label: out)
    }

    private func resumeRun(_ resume: String, stop: StopSignal) throws {
        let url = URL(fileURLWithPath: resume)
        // Held for the whole run: a second writer of the same file gets a clear error.
        let lock = try OutputLock.acquire(url)
        defer { lock.release() }
        let run = try TrainingRun.resume(from: url, provenance: Provenance.attributes(), parallelism: parallelism, totalSteps: steps)
        if run.isComplete {
            // Rewriting it would only replace its `command` and `created` attributes.
            print("'\(resume)' is complete (\(run.trainer.updatesDone) updates, \(run.description.config.totalSteps) steps); "
                  + "nothing to do. Give --steps above \(run.description.config.totalSteps) to train it further.")
            return
        }
        try train(run, stop: stop, label: resume)
    }

    private func train(_ run: TrainingRun, stop: StopSignal, label: String) throws {
        let c = run.description.config
        if let note = RunSettings.roundingNote(c), !quiet { print("note: \(note)") }
        let progress = ProgressLine(total: c.numUpdates, quiet: quiet)
        if !quiet {
            print("\(run.description.env) with \(run.trainer.drift.summary), seed \(run.description.seed): "
                  + "\(c.numUpdates) updates of \(c.batchSize) steps -> \(label)")
        }
        try run.run(shouldStop: { stop.requested }) { metrics in progress.show(metrics) }
        progress.finish()
        if stop.requested {
            print("interrupted: checkpoint at update \(run.trainer.updatesDone) written to \(label); continue with: "
                  + "driftlab train --resume \(label)")
            throw ExitCode(130)
        }
        if let last = run.curves.last, !quiet {
            // The latest update in which an episode ended (long episodes span several updates).
            let episode = run.curves.last(where: { !$0.episodeReturn.isNaN })?.episodeReturn ?? .nan
            print(String(format: "done: eval return %.3f, last episode return %.3f", last.evalReturn, episode))
        }
    }

    /// One run per seed into `outDir/SEED.h5`, in parallel, with the sweep's resume-or-skip
    /// policy (`RunExecutor`): finished seeds are read back, interrupted ones continue. A live
    /// line shows how far all seeds together are.
    private func trainSeeds(_ list: [UInt64], outDir: String, stop: StopSignal) throws {
        let description = try description()
        if let note = RunSettings.roundingNote(description.config), !quiet { print("note: \(note)") }
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let runs = PlannedRun.seeds(list, of: description, outDir: outDir)
        if !quiet {
            print("training \(list.count) seeds of \(description.env) with \(description.drift) in parallel -> \(outDir)/ "
                  + "(existing files are continued from their checkpoints)")
        }
        let progress = SweepProgress(runs: runs, quiet: quiet, messages: false)
        let quiet = self.quiet
        let runner = SweepRunner(executor: RunExecutor(provenance: Provenance.attributes(), parallelism: 1, compactsFinishedRuns: false))
        let workers = min(list.count, ProcessInfo.processInfo.activeProcessorCount)
        let result = runner.run(runs, workers: workers, shouldStop: { stop.requested }) { event in
            progress.handle(event)
            switch event {
            case .finished(let index, .stopped(let update)) where !quiet:
                progress.note("seed \(runs[index].seed): stopped at update \(update) -> \(runs[index].path)")
            case .finished(let index, let outcome) where !quiet:
                progress.note(String(format: "seed %llu: %d updates, eval return %.3f -> %@", runs[index].seed,
                                     runs[index].description.config.numUpdates, outcome.finalEvalReturn, runs[index].path))
            case .failed(let index, let message):
                progress.note("seed \(runs[index].seed) failed: \(message)")
            default: break
            }
        }
        progress.finish()
        if !result.failures.isEmpty {
            throw CLIError("\(result.failures.count) of \(list.count) seeds failed; first: \(result.failures[0].message)")
        }
        let returns = result.outcomes.compactMap { $0?.finalEvalReturn }.filter { !$0.isNaN }
        if !returns.isEmpty {
            let summary = SampleSummary(returns)
            let of = returns.count == list.count ? "" : " finished"
            print(String(format: "eval return over %d%@ seeds: %.3f ± %.3f (s.e.)", returns.count, of, summary.mean, summary.standardError))
        }
        if stop.requested {
            print("interrupted: \(list.count - returns.count) of \(list.count) seeds checkpointed; continue with: \(commandLineText())")
            throw ExitCode(130)
        }
    }

    /// Parses `0-9`, `0,3,5` or a mix (`0-2,7`); see `SeedList`.
    static func parseSeeds(_ text: String) throws -> [UInt64] {
        do { return try SeedList.parse(text) } catch { throw ValidationError("--\(error)") }
    }
}

/// `driftlab eval`: the return of a run file's policy.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate the policy stored in a run file: mean return and standard error.")

    @Argument(help: "Run file.") var runFile: String
    @Option(parsing: .unconditional, help: "Episodes.") var episodes: Int = 100
    @Flag(help: "Take the most likely action instead of sampling.") var deterministic = false
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        let episodes: Int
        let mean_return: Double
        let stderr_return: Double
        let mean_length: Double
        let deterministic: Bool
    }

    func validate() throws {
        try OptionCheck.require("--episodes", episodes, in: 1...TrainingConfig.Limit.evalEpisodes)
    }

    func run() throws {
        BLAS.setThreads(1)
        let contents = try RunFile.read(from: URL(fileURLWithPath: runFile))
        let (result, update) = try RunEvaluation.evaluate(contents, path: runFile, episodes: episodes, deterministic: deterministic)
        if json {
            print(try jsonString(Output(episodes: result.episodes, mean_return: result.meanReturn,
                                        stderr_return: result.standardError, mean_length: result.meanLength,
                                        deterministic: deterministic)))
        } else {
            print(String(format: "%@ (%@ policy, update %d): %d episodes, mean return %.3f ± %.3f (s.e.), mean length %.1f",
                         runFile, deterministic ? "deterministic" : "stochastic", update,
                         result.episodes, result.meanReturn, result.standardError, result.meanLength))
        }
    }
}
