import Environments
import NeuralNets
import Tensors

/// Mean return of a policy over fresh episodes, with its standard error.
public struct EvaluationResult: Sendable, Equatable, Codable {
    public var episodes: Int
    public var meanReturn: Double
    public var standardError: Double
    public var meanLength: Double
}

/// Plays a trained actor in fresh environments.
public enum PolicyEvaluation {
    /// Runs every environment of `env` until its first episode ends (or `maxSteps` pass, which
    /// counts the episode as it stands) and summarises those `env.count` episodes. Actions are
    /// sampled from the policy (stream `evaluation`), or its mode when `deterministic`.
    public static func run(actor: MLP, normalizer: ObservationNormalizer?, env: any VectorEnv,
                           deterministic: Bool, seed: UInt64, maxSteps: Int = 27_000) -> EvaluationResult {
        var actor = actor
        var rng = RandomStream(seed: seed, stream: StreamID.make(.evaluation))
        let n = env.count, size = env.observationSize
        var episodeReturn = [Double](repeating: 0, count: n), length = [Int](repeating: 0, count: n)
        var done = [Bool](repeating: false, count: n)
        env.reset()
        var input = [Float](repeating: 0, count: n * size)
        for _ in 0..<maxSteps where done.contains(false) {
            input.withUnsafeMutableBufferPointer { out in
                if let normalizer {
                    normalizer.normalize(env.observations, into: out, rows: n)
                } else {
                    _ = out.initialize(from: env.observations)
                }
            }
            let output = actor.forward(Matrix(rows: n, cols: size, storage: input))
            switch env.actionSpace {
            case .discrete:
                let distribution = CategoricalDistribution(logits: output)
                let actions = deterministic ? distribution.mode : distribution.sample(rng: &rng)
                (env as! DiscreteVectorEnv).step(actions: actions.map { Int32($0) })
            case .continuous(_, let low, let high):
                let distribution = TanhNormalDistribution(parameters: output)
                let squashed = deterministic ? distribution.mode : distribution.sample(rng: &rng).action
                (env as! ContinuousVectorEnv).step(actions: squashed.storage.map { low + ($0 + 1) * 0.5 * (high - low) })
            }
            for i in 0..<n where !done[i] {
                episodeReturn[i] += Double(env.rewards[i])
                length[i] += 1
                if env.terminated[i] || env.truncated[i] { done[i] = true }
            }
        }
        _ = env.drainEpisodes()
        let summary = SampleSummary(episodeReturn)
        return EvaluationResult(episodes: n, meanReturn: summary.mean, standardError: summary.standardError,
                                meanLength: Double(length.reduce(0, +)) / Double(n))
    }
}
