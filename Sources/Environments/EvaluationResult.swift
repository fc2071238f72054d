import Tensors

/// Mean return over a set of episodes, with its standard error: what evaluating a policy or
/// playing at random reports.
public struct EvaluationResult: Sendable, Equatable, Codable {
    /// Number of episodes played.
    public var episodes: Int
    /// Mean undiscounted return.
    public var meanReturn: Double
    /// Standard error of the mean return (0 for a single episode).
    public var standardError: Double
    /// Mean episode length in steps (an episode cut short counts the steps it had).
    public var meanLength: Double

    public init(episodes: Int, meanReturn: Double, standardError: Double, meanLength: Double) {
        self.episodes = episodes
        self.meanReturn = meanReturn
        self.standardError = standardError
        self.meanLength = meanLength
    }
}

/// The first episode of every environment of a batch: its return and length, in
/// environment order.
public struct FirstEpisodes: Sendable, Equatable {
    public var returns: [Double]
    public var lengths: [Int]

    /// Mean return with its standard error, and the mean length.
    public var summary: EvaluationResult {
        let summary = SampleSummary(returns)
        return EvaluationResult(episodes: returns.count, meanReturn: summary.mean, standardError: summary.standardError,
                                meanLength: Double(lengths.reduce(0, +)) / Double(lengths.count))
    }
}

extension EnvironmentBatch {
    /// Steps every environment until its first episode ends (or `maxSteps` pass, which counts
    /// the episode as it stands), choosing each step's actions with `choose`: one episode per
    /// environment, so short episodes are not over-represented. The caller resets first if it
    /// needs fresh episodes.
    public func playFirstEpisodes(maxSteps: Int = .max, choose: (any EnvironmentBatch) -> ActionBatch) -> FirstEpisodes {
        var episodeReturn = [Double](repeating: 0, count: count), length = [Int](repeating: 0, count: count)
        var done = [Bool](repeating: false, count: count)
        _ = drainEpisodes()
        var steps = 0
        while steps < maxSteps && done.contains(false) {
            step(choose(self))
            for i in 0..<count where !done[i] {
                episodeReturn[i] += Double(rewards[i])
                length[i] += 1
                if terminated[i] || truncated[i] { done[i] = true }
            }
            steps += 1
        }
        _ = drainEpisodes()
        return FirstEpisodes(returns: episodeReturn, lengths: length)
    }
}
