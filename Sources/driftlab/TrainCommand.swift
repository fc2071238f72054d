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
          driftlab train --env breakout --drift dpo --steps 1000000 --seed 0 --out runs/breakout-dpo-0.h5
          driftlab train --resume runs/breakout-dpo-0.h5
          driftlab train --env cartpole --drift ppo --seeds 0-9 --out-dir runs/cartpole-ppo
        Override any hyperparameter with --set key=value (e.g. --set learningRate=0.001) or --config FILE
        (one key = value per line). Ctrl-C writes a checkpoint before exiting; --resume continues it.
        """)

    @Option(help: "Environment (see `driftlab env list`).") var env: String?
    @Option(help: "Drift spec or drift file.") var drift: String = "ppo"
    @Option(help: "Preset: minatar or classic-control (default: by environment).") var preset: String?
    @Option(parsing: .unconditional, help: "Total environment steps (overrides the preset; with --resume, a larger total extends the run).") var steps: Int?
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Seeds to train in parallel, e.g. 0-9 or 0,3,5 (with --out-dir).") var seeds: String?
    @Option(help: "Output run file.") var out: String?
    @Option(help: "Output folder for --seeds (files SEED.h5).") var outDir: String?
    @Option(help: "MinAtar convention: gymnax (as the paper's MinAtar runs) or original.") var convention: MinAtarConvention = .gymnax
    @Option(name: .customLong("set"), help: "Override a hyperparameter: key=value (repeatable).") var overrides: [String] = []
    @Option(help: "Config file of overrides (key = value lines).") var config: String?
    @Option(help: "Continue the run in this run file from its latest checkpoint.") var resume: String?
    @Option(parsing: .unconditional, help: "Save every K-th rollout under /rollouts in the run file (0 = none).") var saveRollouts: Int = 0
    @Option(parsing: .unconditional, help: "Cores stepping the environments (default: all; 1 per run with --seeds).") var parallelism: Int?
    @Flag(help: "Replace an existing --out file instead of refusing.") var overwrite = false
    @Flag(help: "No progress output.") var quiet = false

    func validate() throws {
        if let steps { try OptionCheck.require("--steps", steps, in: 0...TrainingConfig.Limit.totalSteps) }
        try OptionCheck.require("--save-rollouts", saveRollouts, in: 0...Int.max)
        if let parallelism { try OptionCheck.require("--parallelism", parallelism, in: 1...4096) }
        if let seeds { _ = try Self.parseSeeds(seeds) }
    }

    func run() throws {
        BLAS.setThreads(1)
        let stop = StopSignal.install()
        if let resume {
            guard env == nil, seeds == nil else { throw ValidationError("--resume takes no --env or --seeds: the run file says what to run") }
            let url = URL(fileURLWithPath: resume)
            // Held for the whole run: a second writer of the same file gets a clear error.
            let lock = try OutputLock.acquire(url)
            defer { lock.release() }
            let run = try TrainingRun.resume(from: url, provenance: Provenance.attributes(), parallelism: parallelism,
                                             totalSteps: steps)
            if run.isComplete {
                // Rewriting it would only replace its `command` and `created` attributes.
                print("'\(resume)' is complete (\(run.trainer.updatesDone) updates, \(run.description.config.totalSteps) steps); "
                      + "nothing to do. Give --steps above \(run.description.config.totalSteps) to train it further.")
                return
            }
            try train(run, stop: stop, label: resume)
            return
        }
        guard let env else { throw ValidationError("--env is required (or --resume RUN.h5)") }
        _ = try EnvironmentCatalog.entry(named: env)
        let presetValue = try resolvePreset(preset, environment: env)
        var pairs: [(key: String, value: String)] = []
        if let config { pairs += try TrainingConfig.overrides(fromFile: URL(fileURLWithPath: config)) }
        pairs += try parseOverrides(overrides)
        if let steps { pairs.append(("totalSteps", "\(steps)")) }
        let resolved = try presetValue.config.applying(pairs)
        let driftValue = try DriftSpec(parsing: drift).makeDrift()

        if let seeds {
            guard out == nil, let outDir else { throw ValidationError("--seeds writes one file per seed: give --out-dir DIR, not --out") }
            let list = try Self.parseSeeds(seeds)
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
            try trainSeeds(list, outDir: outDir, env: env, preset: presetValue, config: resolved, drift: driftValue, stop: stop)
            return
        }
        guard let out else { throw ValidationError("--out RUN.h5 is required") }
        let lock = try OutputLock.acquire(URL(fileURLWithPath: out))
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: out) && !overwrite {
            throw CLIError("'\(out)' exists: continue it with --resume \(out), or replace it with --overwrite")
        }
        guard saveRollouts >= 0 else { throw ValidationError("--save-rollouts must be >= 0, got \(saveRollouts)") }
        let description = RunDescription(env: env, drift: drift, preset: presetValue.rawValue, seed: seed,
                                         convention: convention.rawValue, config: resolved, saveRolloutsEvery: saveRollouts)
        let run = try TrainingRun(description: description, drift: driftValue, url: URL(fileURLWithPath: out),
                                  provenance: Provenance.attributes(), parallelism: parallelism)
        try train(run, stop: stop, label: out)
    }

    private func train(_ run: TrainingRun, stop: StopSignal, label: String) throws {
        let progress = ProgressLine(total: run.description.config.numUpdates, quiet: quiet)
        if !quiet {
            let c = run.description.config
            print("\(run.description.env) with \(run.trainer.drift.summary), seed \(run.description.seed): "
                  + "\(c.numUpdates) updates of \(c.batchSize) steps -> \(label)")
        }
        try run.run(shouldStop: { stop.requested }) { metrics in progress.show(metrics) }
        progress.finish()
        if stop.requested {
            print("interrupted: checkpoint at update \(run.trainer.updatesDone) written to \(label); continue with --resume \(label)")
            throw ExitCode(130)
        }
        if let last = run.curves.last, !quiet {
            print(String(format: "done: eval return %.3f, last episode return %.3f", last.evalReturn, last.episodeReturn))
        }
    }

    /// One run per seed into `outDir/SEED.h5`, in parallel, with the sweep's resume-or-skip
    /// policy (`RunExecutor`): finished seeds are read back, interrupted ones continue.
    private func trainSeeds(_ list: [UInt64], outDir: String, env: String, preset: TrainingPreset, config: TrainingConfig,
                            drift: any Drift, stop: StopSignal) throws {
        let runs = list.map { seed in
            SweepRun(env: env, label: self.drift,
                     description: RunDescription(env: env, drift: self.drift, preset: preset.rawValue, seed: seed,
                                                 convention: convention.rawValue, config: config, saveRolloutsEvery: saveRollouts),
                     path: (outDir as NSString).appendingPathComponent("\(seed).h5"))
        }
        let quiet = self.quiet
        if !quiet {
            print("training \(list.count) seeds of \(env) with \(drift.summary) in parallel -> \(outDir)/ "
                  + "(existing files are continued from their checkpoints)")
        }
        let runner = SweepRunner(executor: RunExecutor(provenance: Provenance.attributes(), parallelism: 1, compactsFinishedRuns: false))
        let workers = min(list.count, ProcessInfo.processInfo.activeProcessorCount)
        let result = runner.run(runs, workers: workers, shouldStop: { stop.requested }) { event in
            switch event {
            case .finished(let index, .stopped(let update)) where !quiet:
                print("seed \(runs[index].seed): stopped at update \(update) -> \(runs[index].path)")
            case .finished(let index, let outcome) where !quiet:
                print(String(format: "seed %llu: %d updates, eval return %.3f -> %@", runs[index].seed,
                             runs[index].description.config.numUpdates, outcome.finalEvalReturn, runs[index].path))
            case .failed(let index, let message):
                print("seed \(runs[index].seed) failed: \(message)")
            default: break
            }
        }
        if !result.failures.isEmpty {
            throw CLIError("\(result.failures.count) of \(list.count) seeds failed; first: \(result.failures[0].message)")
        }
        let returns = result.outcomes.compactMap { $0?.finalEvalReturn }.filter { !$0.isNaN }
        let summary = SampleSummary(returns)
        print(String(format: "eval return over %d seeds: %.3f ± %.3f (s.e.)", returns.count, summary.mean, summary.standardError))
        if stop.requested { throw ExitCode(130) }
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
