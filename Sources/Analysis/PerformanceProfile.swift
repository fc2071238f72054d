import Foundation

/// A performance profile (Agarwal et al. 2021, §4.2): the score distribution's tail,
/// the fraction of runs scoring above τ for each threshold τ, with stratified-bootstrap
/// bands. With several tasks the fraction is taken per task and averaged, so every task
/// weighs the same (with equal runs per task this is rliable's fraction of all runs).
public struct PerformanceProfile: Sendable, Codable, Equatable {
    /// The thresholds τ, ascending.
    public var thresholds: [Double]
    /// Fraction of runs with score > τ at each threshold.
    public var fractions: [Double]
    /// The band's lower and upper edges (percentile interval at each threshold).
    public var lower: [Double]
    public var upper: [Double]

    /// The fraction of runs above each of `thresholds` (`scores` are `[tasks][runs]`).
    public static func fractions(_ scores: [[Double]], thresholds: [Double]) -> [Double] {
        let sortedTasks = scores.map { $0.sorted() }
        return thresholds.map { tau in
            sortedTasks.map { runs in
                Double(runs.count - ProbabilityOfImprovement.upperBound(runs, tau)) / Double(runs.count)
            }.reduce(0, +) / Double(sortedTasks.count)
        }
    }

    /// `count` evenly spaced thresholds from `low` to `high`.
    public static func thresholds(from low: Double, to high: Double, count: Int) -> [Double] {
        precondition(count >= 2, "a profile needs at least two thresholds")
        return (0..<count).map { low + (high - low) * Double($0) / Double(count - 1) }
    }

    /// The profile of `scores` with bands from `bootstrap` (its stream named by `key`).
    public init(_ scores: [[Double]], thresholds: [Double], bootstrap: StratifiedBootstrap, key: String) {
        self.thresholds = thresholds
        fractions = Self.fractions(scores, thresholds: thresholds)
        let replicates = bootstrap.vectorReplicates(scores, key: key) { Self.fractions($0, thresholds: thresholds) }
        var lower: [Double] = [], upper: [Double] = []
        for index in thresholds.indices {
            let interval = bootstrap.percentileInterval(replicates.map { $0[index] })
            lower.append(interval.lower)
            upper.append(interval.upper)
        }
        self.lower = lower
        self.upper = upper
    }
}
