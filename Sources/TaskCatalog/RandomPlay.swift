import Environments
import Tensors

/// Plays uniformly random actions (for `driftlab env play`, and a sanity check of a task
/// against published random-play numbers).
public enum RandomPlay {
    /// Plays `episodes` episodes of task `name` with uniformly random actions: one
    /// environment per episode, each counted only for its first episode (so short episodes are
    /// not over-represented). Actions come from stream `StreamID.make(.actionSampling, 0)`.
    public static func run(_ name: String, episodes: Int, seed: UInt64,
                           configuration: EnvironmentConfiguration = EnvironmentConfiguration()) throws -> EvaluationResult {
        guard episodes >= 1 else {
            throw EnvironmentError.invalidOption(option: "episodes", value: "\(episodes)", reason: "must be at least 1")
        }
        let env = try EnvironmentCatalog.make(name, count: episodes, seed: seed, configuration: configuration)
        return run(env, seed: seed)
    }

    /// Runs every environment of `env` until its first episode ends and summarises those
    /// `env.count` episodes.
    public static func run(_ env: any EnvironmentBatch, seed: UInt64) -> EvaluationResult {
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 0))
        let played = env.playFirstEpisodes { env in actions(for: env, rng: &rng) }
        let returns = SampleSummary(played.returns)
        // The mean length as `SampleSummary` (Welford) computes it, as random play has always
        // reported it; `FirstEpisodes.summary` divides the sum instead (the last digit can differ).
        return EvaluationResult(episodes: played.returns.count, meanReturn: returns.mean, standardError: returns.standardError,
                                meanLength: SampleSummary(played.lengths.map(Double.init)).mean)
    }

    /// One uniformly random action per environment of `env`.
    public static func actions(for env: any EnvironmentBatch, rng: inout RandomStream) -> ActionBatch {
        switch env.actionSpace {
        case let .discrete(actionCount):
            return .discrete((0..<env.count).map { _ in Int32(rng.integer(below: actionCount)) })
        case let .continuous(dim, low, high):
            return .continuous((0..<(env.count * dim)).map { _ in rng.uniform(low, high) })
        }
    }
}
