import Environments
import Tensors

/// Uniformly random steps that leave an environment somewhere worth looking at
/// (`driftlab env show --steps K`): the same action stream as `RandomPlay`, with episodes
/// reset automatically, counting where environment 0 ends up.
public enum RandomWalk {
    /// Where environment 0 stands after the walk.
    public struct Position: Sendable, Equatable {
        /// Episodes of environment 0 that ended during the walk.
        public var episodesFinished: Int
        /// Steps taken in environment 0's current episode.
        public var episodeStep: Int
    }

    /// Takes `steps` uniformly random actions in every environment of `env`, drawn from
    /// stream `StreamID.make(.actionSampling, 0)` of `seed`.
    @discardableResult
    public static func walk(_ env: any EnvironmentBatch, steps: Int, seed: UInt64) -> Position {
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 0))
        var position = Position(episodesFinished: 0, episodeStep: 0)
        for _ in 0..<max(steps, 0) {
            env.step(RandomPlay.actions(for: env, rng: &rng))
            position.episodeStep += 1
            if env.terminated[0] || env.truncated[0] {
                position.episodeStep = 0
                position.episodesFinished += 1
            }
        }
        return position
    }
}
