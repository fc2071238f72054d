import Drifts
import Environments
import Foundation
import Storage
import TaskCatalog

/// A training run tied to its run file: builds the task and trainer from a `RunDescription`,
/// trains update by update, evaluates, and writes the run file (curves + latest checkpoint)
/// every `checkpointInterval` updates and at the end, so it can be interrupted and resumed.
public final class TrainingRun {
    public let description: RunDescription
    public let url: URL
    public let trainer: Trainer
    public private(set) var curves: [UpdateMetrics]
    private let provenance: [String: String]
    /// The state last written to the file (kept so a failure can leave a good checkpoint behind).
    private var lastCheckpoint: TrainerCheckpoint?
    /// Rollouts recorded since the last write.
    private var pendingRollouts: [RecordedRollout] = []

    /// A new run. `parallelism` is the number of cores stepping the environments and
    /// computing minibatch shards (nil: all); it changes the schedule, never the result.
    public init(description: RunDescription, drift: any Drift, url: URL, provenance: [String: String],
                parallelism: Int? = nil) throws {
        self.description = description
        self.url = url
        self.provenance = provenance
        let env = try EnvironmentCatalog.make(description.env, count: description.config.numEnvs, seed: description.seed,
                                              configuration: try Self.environmentConfiguration(description, parallelism: parallelism))
        trainer = try Trainer(env: env, drift: drift, config: description.config, seed: description.seed)
        if let parallelism { trainer.shardThreads = parallelism }
        curves = []
    }

    /// Continues the run stored at `url` from its latest checkpoint. A `totalSteps` above the
    /// stored budget extends the run (a complete run then trains on); a smaller one is refused.
    public static func resume(from url: URL, provenance: [String: String], parallelism: Int? = nil,
                              totalSteps: Int? = nil) throws -> TrainingRun {
        var contents = try RunFile.read(from: url)
        if let totalSteps, totalSteps != contents.description.config.totalSteps {
            guard totalSteps > contents.description.config.totalSteps else {
                throw TrainingError.invalidConfig("totalSteps: \(totalSteps) is below the \(contents.description.config.totalSteps) "
                                                  + "steps '\(url.path)' was started with; a run can only be extended")
            }
            contents.description.config.totalSteps = totalSteps
            try contents.description.config.validate()
        }
        guard let checkpoint = contents.checkpoint else {
            throw TrainingError.invalidRunFile(path: url.path, reason: contents.policy != nil
                ? "is complete and compacted (its resume state was dropped), so it cannot be continued; start a new run"
                : "has no checkpoint to resume from (the run stopped before its first one; delete the file to start it again)")
        }
        if let unknown = contents.drift as? UnregisteredDrift {
            throw TrainingError.invalidRunFile(path: url.path, reason: "its drift kind '\(unknown.kind.rawValue)' is not registered "
                                               + "in this program, so the run cannot be continued here")
        }
        let run = try TrainingRun(description: contents.description, drift: contents.drift, url: url,
                                  provenance: ProvenanceHistory.continuing(provenance, file: url), parallelism: parallelism)
        try run.trainer.restore(checkpoint)
        run.curves = Array(contents.curves.prefix(checkpoint.updatesDone))
        run.lastCheckpoint = checkpoint
        return run
    }

    static func environmentConfiguration(_ d: RunDescription, parallelism: Int?) throws -> EnvironmentConfiguration {
        EnvironmentConfiguration(convention: try d.minAtarConvention(), parallelism: parallelism)
    }

    /// Whether every update has run.
    public var isComplete: Bool { trainer.updatesDone >= description.config.numUpdates }

    /// Trains until the budget is spent or `shouldStop()` says so (checked between updates),
    /// calling `report` after every update. Writes the run file at each checkpoint interval
    /// and when it returns. On NaN/inf the file keeps the last good checkpoint and the error
    /// is rethrown.
    public func run(shouldStop: () -> Bool = { false }, report: (UpdateMetrics) -> Void = { _ in }) throws {
        let config = description.config
        while !isComplete && !shouldStop() {
            var metrics: UpdateMetrics
            let every = description.saveRolloutsEvery
            trainer.recordsRollouts = every > 0 && (trainer.updatesDone + 1) % every == 0
            do {
                metrics = try trainer.update()
                if trainer.recordsRollouts, let rollout = trainer.lastRollout { pendingRollouts.append(rollout) }
            } catch let error as TrainingError {
                try save(checkpoint: lastCheckpoint, complete: false)
                throw error
            }
            let isLast = trainer.updatesDone == config.numUpdates
            if isLast || (config.evalInterval > 0 && trainer.updatesDone % config.evalInterval == 0) {
                metrics.evalReturn = try evaluate(episodes: config.evalEpisodes, deterministic: false).meanReturn
            }
            curves.append(metrics)
            report(metrics)
            if !isLast && config.checkpointInterval > 0 && trainer.updatesDone % config.checkpointInterval == 0 {
                try saveCheckpoint()
            }
        }
        try saveCheckpoint()
    }

    /// Writes the run file with a fresh checkpoint of the current state.
    public func saveCheckpoint() throws {
        let checkpoint = try trainer.checkpoint()
        try save(checkpoint: checkpoint, complete: isComplete)
        lastCheckpoint = checkpoint
    }

    private func save(checkpoint: TrainerCheckpoint?, complete: Bool) throws {
        // A finished run also keeps its policy on its own, so it survives `RunFile.compact`.
        let policy = complete ? checkpoint.map { TrainedPolicy(checkpoint: $0, actorParameterCount: trainer.networks.actor.parameterCount) } : nil
        try RunFile.write(to: url, description: description, drift: trainer.drift,
                          curves: Array(curves.prefix(checkpoint?.updatesDone ?? curves.count)),
                          checkpoint: checkpoint, policy: policy, complete: complete, provenance: provenance,
                          rollouts: pendingRollouts)
        pendingRollouts = []
    }

    /// Evaluates the current policy on `episodes` fresh episodes (environments seeded apart
    /// from the training ones).
    public func evaluate(episodes: Int, deterministic: Bool) throws -> EvaluationResult {
        let env = try RunEvaluation.environment(for: description, episodes: episodes)
        return PolicyEvaluation.run(actor: trainer.networks.actor, normalizer: trainer.normalizer, env: env,
                                    deterministic: deterministic, seed: description.seed)
    }

    /// Evaluation environments use a seed derived from the run's, so they never replay the
    /// training environments' streams.
    public static func evaluationSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }
}
