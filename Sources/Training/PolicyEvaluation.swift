import Environments
import NeuralNets
import Tensors

/// Plays a trained actor in fresh environments.
public enum PolicyEvaluation {
    /// Runs every environment of `env` until its first episode ends (or `maxSteps` pass, which
    /// counts the episode as it stands) and summarises those `env.count` episodes. Actions are
    /// sampled from the policy (stream `evaluation`), or its mode when `deterministic`.
    public static func run(actor: MLP, normalizer: ObservationNormalizer?, env: any EnvironmentBatch,
                           deterministic: Bool, seed: UInt64, maxSteps: Int = 27_000) -> EvaluationResult {
        var actor = actor
        var rng = RandomStream(seed: seed, stream: StreamID.make(.evaluation))
        env.reset()
        return env.playFirstEpisodes(maxSteps: maxSteps) { env in
            let input = NetworkInput.normalized(env.observations, rows: env.count, columns: env.observationSize,
                                                normalizer: normalizer)
            let output = actor.forward(Matrix(rows: env.count, cols: env.observationSize, storage: input))
            return Acting.act(output: output, actionSpace: env.actionSpace, deterministic: deterministic, rng: &rng,
                              logProbabilities: false).actions
        }.summary
    }
}
