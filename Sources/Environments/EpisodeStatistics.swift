import Foundation

/// One finished episode of one environment in a `EnvironmentBatch`.
public struct EpisodeStatistics: Sendable, Equatable, Codable {
    /// Which environment of the batch finished.
    public var environment: Int
    /// Undiscounted sum of rewards.
    public var episodeReturn: Double
    /// Number of steps.
    public var length: Int
    /// True when the episode was cut by the step limit rather than ended by the task.
    public var truncated: Bool

    public init(environment: Int, episodeReturn: Double, length: Int, truncated: Bool) {
        self.environment = environment
        self.episodeReturn = episodeReturn
        self.length = length
        self.truncated = truncated
    }
}
