import Environments
import Tensors

/// Returns of a uniformly random policy (for `driftlab env play`, and a sanity check of a
/// task against published random-play numbers).
public struct RandomPlayResult: Sendable, Equatable, Codable {
    /// Number of episodes played.
    public var episodes: Int
    /// Mean undiscounted return.
    public var meanReturn: Double
    /// Standard error of the mean return.
    public var standardError: Double
    /// Mean episode length in steps (truncated episodes count their truncated length).
    public var meanLength: Double
}

/// Plays uniformly random actions.
public enum RandomPlay {
    /// Plays `episodes` episodes of task `name` with uniformly random actions: one
    /// environment per episode, each counted only for its first episode (so short episodes are
    /// not over-represented). Actions come from stream `StreamID.make(.actionSampling, 0)`.
    public static func run(_ name: String, episodes: Int, seed: UInt64,
                           configuration: EnvironmentConfiguration = EnvironmentConfiguration()) throws -> RandomPlayResult {
        guard episodes >= 1 else {
            throw EnvironmentError.invalidOption(option: "episodes", value: "\(episodes)", reason: "must be at least 1")
        }
        let env = try EnvironmentCatalog.make(name, count: episodes, seed: seed, configuration: configuration)
        return run(env, seed: seed)
    }

    /// Runs every environment of `env` until its first episode ends and summarises those
    /// `env.count` episodes.
    public static func run(_ env: any VectorEnv, seed: UInt64) -> RandomPlayResult {
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 0))
        var firstEpisode = [EpisodeStatistics?](repeating: nil, count: env.count)
        var remaining = env.count
        _ = env.drainEpisodes()
        switch env.actionSpace {
        case let .discrete(actionCount):
            guard let discrete = env as? DiscreteVectorEnv else {
                preconditionFailure("\(env.name) declares discrete actions but is not a DiscreteVectorEnv")
            }
            var actions = [Int32](repeating: 0, count: env.count)
            while remaining > 0 {
                for i in actions.indices { actions[i] = Int32(rng.integer(below: actionCount)) }
                discrete.step(actions: actions)
                record(env.drainEpisodes(), into: &firstEpisode, remaining: &remaining)
            }
        case let .continuous(dim, low, high):
            guard let continuous = env as? ContinuousVectorEnv else {
                preconditionFailure("\(env.name) declares continuous actions but is not a ContinuousVectorEnv")
            }
            var actions = [Float](repeating: 0, count: env.count * dim)
            while remaining > 0 {
                for i in actions.indices { actions[i] = rng.uniform(low, high) }
                continuous.step(actions: actions)
                record(env.drainEpisodes(), into: &firstEpisode, remaining: &remaining)
            }
        }
        let played = firstEpisode.compactMap { $0 }
        let returns = SampleSummary(played.map(\.episodeReturn))
        let lengths = SampleSummary(played.map { Double($0.length) })
        return RandomPlayResult(episodes: played.count, meanReturn: returns.mean,
                                standardError: played.count > 1 ? returns.standardError : 0,
                                meanLength: lengths.mean)
    }

    static func record(_ finished: [EpisodeStatistics], into first: inout [EpisodeStatistics?], remaining: inout Int) {
        for episode in finished where first[episode.environment] == nil {
            first[episode.environment] = episode
            remaining -= 1
        }
    }
}
