import Foundation
import Tensors

/// A two-sided confidence interval.
public struct ConfidenceInterval: Sendable, Codable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// `[lower, upper]`, the form the JSON reports use.
    public var pair: [Double] { [lower, upper] }
}

/// The stratified bootstrap of Agarwal et al. 2021 (rliable's `StratifiedBootstrap`): each
/// replicate resamples, independently for every task, as many runs as the task has, with
/// replacement. Intervals are percentile intervals of the replicates' statistic.
///
/// Reproducible: replicate draws come from a Philox `RandomStream` keyed by `seed`, and each
/// caller names its own stream (`key`), so one label's interval does not change when another
/// label is added to a comparison.
public struct StratifiedBootstrap: Sendable {
    /// Number of bootstrap replicates.
    public var reps: Int
    /// Seed of the random streams.
    public var seed: UInt64
    /// Two-sided coverage of the intervals (0.95: the 2.5 and 97.5 percentiles).
    public var confidence: Double

    public init(reps: Int = 10_000, seed: UInt64 = 0, confidence: Double = 0.95) {
        precondition(reps > 0, "bootstrap needs at least one replicate")
        precondition(confidence > 0 && confidence < 1, "confidence \(confidence) is not in (0, 1)")
        self.reps = reps
        self.seed = seed
        self.confidence = confidence
    }

    /// The stream of caller `key` (a stable 64-bit FNV-1a hash of the key, in the bootstrap's id space).
    public func stream(_ key: String) -> RandomStream {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return RandomStream(seed: seed, stream: StreamID.make(.bootstrap, Int(hash & ((1 << 48) - 1))))
    }

    /// One stratified resample of `scores` (`[tasks][runs]`).
    public static func resample(_ scores: [[Double]], using rng: inout RandomStream) -> [[Double]] {
        scores.map { runs in (0..<runs.count).map { _ in runs[rng.integer(below: runs.count)] } }
    }

    /// The replicates of several statistics computed on the same resamples:
    /// `[statistics][reps]`, in drawing order.
    public func replicates(_ scores: [[Double]], key: String, statistics: [([[Double]]) -> Double]) -> [[Double]] {
        var rng = stream(key)
        var result = [[Double]](repeating: [], count: statistics.count)
        for index in result.indices { result[index].reserveCapacity(reps) }
        for _ in 0..<reps {
            let sample = Self.resample(scores, using: &rng)
            for (index, statistic) in statistics.enumerated() { result[index].append(statistic(sample)) }
        }
        return result
    }

    /// Replicates of a vector-valued statistic (a performance profile, say): `[reps][outputs]`.
    public func vectorReplicates(_ scores: [[Double]], key: String, statistic: ([[Double]]) -> [Double]) -> [[Double]] {
        var rng = stream(key)
        return (0..<reps).map { _ in statistic(Self.resample(scores, using: &rng)) }
    }

    /// Replicates of a two-sample statistic, resampling `x` and `y` independently, each
    /// stratified by task (rliable's `StratifiedIndependentBootstrap`).
    public func replicates(_ x: [[Double]], _ y: [[Double]], key: String,
                           statistic: ([[Double]], [[Double]]) -> Double) -> [Double] {
        var rng = stream(key)
        return (0..<reps).map { _ in
            let a = Self.resample(x, using: &rng)
            return statistic(a, Self.resample(y, using: &rng))
        }
    }

    /// The percentile interval of `replicates`: their (1 − c)/2 and (1 + c)/2 quantiles.
    public func percentileInterval(_ replicates: [Double]) -> ConfidenceInterval {
        let sorted = replicates.sorted()
        let tail = (1 - confidence) / 2
        return ConfidenceInterval(lower: AggregateStatistic.quantile(sorted: sorted, tail),
                                  upper: AggregateStatistic.quantile(sorted: sorted, 1 - tail))
    }

    /// The percentile interval of one statistic of `scores`.
    public func interval(_ scores: [[Double]], key: String, statistic: @escaping ([[Double]]) -> Double) -> ConfidenceInterval {
        percentileInterval(replicates(scores, key: key, statistics: [statistic])[0])
    }
}
