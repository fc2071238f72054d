import Environments
import Foundation
import NeuralNets
import TaskCatalog
import Tensors

/// Evaluating the policy stored in a run file, without rebuilding its trainer.
public enum RunEvaluation {
    /// Fresh environments for evaluating `description`'s policy: one per episode, seeded apart
    /// from the training ones (see `TrainingRun.evaluationSeed`), stepped on one core.
    public static func environment(for description: RunDescription, episodes: Int) throws -> any EnvironmentBatch {
        let configuration = try TrainingRun.environmentConfiguration(description, parallelism: 1)
        return try EnvironmentCatalog.make(description.env, count: episodes,
                                           seed: TrainingRun.evaluationSeed(description.seed), configuration: configuration)
    }

    /// An actor of the shape `description`'s config builds for `env`; its initial parameters
    /// are overwritten when a saved policy is loaded into it.
    public static func actor(for description: RunDescription, env: any EnvironmentBatch) throws -> MLP {
        var scratch = RandomStream(seed: 0)
        return try PolicyNetworks(observationSize: env.observationSize, actionSpace: env.actionSpace,
                                  config: description.config, rng: &scratch).actor
    }

    /// The policy of a run file: its `/policy` group, or else the actor part of its latest
    /// checkpoint (runs still in progress, and files written before `/policy` existed).
    public static func policy(of contents: RunFile.Contents, path: String, actorParameterCount: Int) throws -> TrainedPolicy {
        if let policy = contents.policy { return policy }
        guard let checkpoint = contents.checkpoint else {
            throw TrainingError.invalidRunFile(path: path, reason: "holds no policy (neither /policy nor /checkpoints/latest)")
        }
        return TrainedPolicy(checkpoint: checkpoint, actorParameterCount: actorParameterCount)
    }

    /// Plays the run's policy for `episodes` episodes (sampled actions unless `deterministic`).
    public static func evaluate(_ contents: RunFile.Contents, path: String, episodes: Int,
                                deterministic: Bool) throws -> (result: EvaluationResult, update: Int) {
        let description = contents.description
        let env = try environment(for: description, episodes: episodes)
        var actor = try actor(for: description, env: env)
        let policy = try policy(of: contents, path: path, actorParameterCount: actor.parameterCount)
        try policy.validate(actorParameterCount: actor.parameterCount, path: path)
        guard (policy.normalizer != nil) == description.config.normalizeObservations,
              policy.normalizer.map({ $0.size == env.observationSize }) ?? true else {
            throw TrainingError.invalidRunFile(path: path, reason: "the policy's observation normaliser does not match the run's config "
                                               + "(normalizeObservations = \(description.config.normalizeObservations), "
                                               + "\(env.observationSize) observation values)")
        }
        actor.setFlatParameters(policy.actorParameters)
        let result = PolicyEvaluation.run(actor: actor, normalizer: policy.normalizer, env: env,
                                          deterministic: deterministic, seed: description.seed)
        return (result, policy.update)
    }
}
