import Foundation

/// The probability that algorithm X beats algorithm Y on a task picked at random, P(X > Y)
/// (Agarwal et al. 2021, §4.3): per task, the Mann–Whitney U statistic of X's runs against
/// Y's divided by `n · m` (a tie counts ½), then averaged over the tasks. 0.5 means neither
/// is better; the statistic needs no normalisation, since it only compares scores of one task.
public enum ProbabilityOfImprovement {
    /// P(X > Y) of one task: `(#{x_i > y_j} + ½ #{x_i = y_j}) / (n m)` over all pairs.
    public static func task(_ x: [Double], _ y: [Double]) -> Double {
        precondition(!x.isEmpty && !y.isEmpty, "probability of improvement needs runs on both sides")
        // Sorting y lets each x count the ys below and equal to it in O(log m).
        let sortedY = y.sorted()
        var wins = 0.0
        for value in x {
            let below = lowerBound(sortedY, value)
            let notAbove = upperBound(sortedY, value)
            wins += Double(below) + 0.5 * Double(notAbove - below)
        }
        return wins / Double(x.count * y.count)
    }

    /// P(X > Y) averaged over tasks; `x` and `y` are `[tasks][runs]` with the same tasks in the same order.
    public static func value(_ x: [[Double]], _ y: [[Double]]) -> Double {
        precondition(x.count == y.count && !x.isEmpty, "probability of improvement: \(x.count) tasks against \(y.count)")
        return zip(x, y).map { task($0, $1) }.reduce(0, +) / Double(x.count)
    }

    /// The first index whose value is not below `value`.
    static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first index whose value is above `value`.
    static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
