import Foundation

/// A statistic that summarises one algorithm's scores over runs and tasks in one number,
/// with the definitions of Agarwal et al. 2021, "Deep RL at the Edge of the Statistical
/// Precipice", as its library rliable computes them.
///
/// Scores are `[tasks][runs]`: one array of per-run scores per task (tasks may have
/// different numbers of runs; rliable needs equal numbers, and with equal numbers the two
/// agree exactly).
public enum AggregateStatistic: String, CaseIterable, Sendable, Codable {
    /// Interquartile mean: the 25 %-trimmed mean of all runs of all tasks pooled
    /// (`scipy.stats.trim_mean(x, 0.25)`: `floor(n/4)` scores cut at each end).
    case iqm
    /// Median over tasks of the per-task mean scores.
    case median
    /// Mean over tasks of the per-task mean scores.
    case mean
    /// `γ − mean(min(x, γ))` over all runs of all tasks, γ = 1: how far normalised scores
    /// fall short of 1 (lower is better).
    case optimalityGap = "optimality_gap"

    /// The threshold γ of the optimality gap (normalised scores reach 1 at the target).
    public static let optimalityTarget = 1.0

    /// The statistic of `scores` (`[tasks][runs]`, every task with at least one run).
    public func value(_ scores: [[Double]]) -> Double {
        switch self {
        case .iqm: return Self.trimmedMean(scores.flatMap { $0 }, proportion: 0.25)
        case .median: return Self.median(scores.map(Self.mean))
        case .mean: return Self.mean(scores.map(Self.mean))
        case .optimalityGap:
            let pooled = scores.flatMap { $0 }
            return Self.optimalityTarget - Self.mean(pooled.map { min($0, Self.optimalityTarget) })
        }
    }

    // MARK: Building blocks

    /// The arithmetic mean (NaN for no values).
    public static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    /// The median: the middle value, or the mean of the two middle values.
    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = sorted.count
        guard n > 0 else { return .nan }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The mean after cutting `floor(proportion · n)` values from each end of the sorted
    /// values, as `scipy.stats.trim_mean` (no fractional weights, unlike some IQM definitions).
    public static func trimmedMean(_ values: [Double], proportion: Double) -> Double {
        let sorted = values.sorted()
        let cut = Int(proportion * Double(sorted.count))
        return mean(Array(sorted[cut..<(sorted.count - cut)]))
    }

    /// The standard error of the mean, `s / sqrt(n)` with the n − 1 sample deviation; 0 for one value.
    public static func standardError(_ values: [Double]) -> Double {
        let n = Double(values.count)
        guard values.count > 1 else { return 0 }
        let m = mean(values)
        return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) / n).squareRoot()
    }

    /// The `q`-quantile (q in [0, 1]) of ascending `sorted` values with linear interpolation
    /// between order statistics, numpy's default (`np.percentile(x, 100 q)`).
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of no values")
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + fraction * (sorted[upper] - sorted[lower])
    }
}
