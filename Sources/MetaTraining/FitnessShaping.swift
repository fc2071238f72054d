/// How raw fitness (higher is better) becomes the weights of the ES gradient estimate.
///
/// Every shaping is order-preserving, so shaped fitness is still "higher is better".
/// All three return all zeros-or-equal values for an all-equal population, never NaN; with
/// antithetic pairs that makes the gradient exactly zero.
public enum FitnessShaping: String, Sendable, Codable, CaseIterable {
    /// Identity: the gradient uses the fitness values as they are.
    case raw
    /// `(f - mean) / (std + 1e-8)` with the population standard deviation, as in the
    /// reference code of Lu et al. (2022). All-equal fitness gives all zeros.
    case zScore = "z-score"
    /// Ranks mapped linearly onto `[-0.5, 0.5]` (lowest -0.5, highest +0.5); tied values
    /// share the average of their ranks (Salimans et al. 2017; Goldie et al. 2025).
    case centeredRanks = "centered-ranks"

    /// Shapes a population's fitness, `[P] -> [P]`.
    public func shape(_ fitness: [Double]) -> [Double] {
        switch self {
        case .raw: return fitness
        case .zScore: return Self.zScore(fitness)
        case .centeredRanks: return Self.centeredRanks(fitness)
        }
    }

    /// Added to the standard deviation in `zScore` so a near-constant population does not
    /// blow up the weights.
    public static let zScoreEpsilon = 1e-8

    /// `(f - mean) / (std + 1e-8)`, population (not sample) standard deviation.
    /// All-equal input gives exact zeros: the mean of equal values need not round back to
    /// the value, so that case is decided by comparison, not arithmetic.
    public static func zScore(_ fitness: [Double]) -> [Double] {
        guard let first = fitness.first else { return [] }
        if fitness.allSatisfy({ $0 == first }) { return [Double](repeating: 0, count: fitness.count) }
        let n = Double(fitness.count)
        var sum = 0.0
        for f in fitness { sum += f }
        let mean = sum / n
        var squares = 0.0
        for f in fitness { squares += (f - mean) * (f - mean) }
        let std = (squares / n).squareRoot()
        return fitness.map { ($0 - mean) / (std + zScoreEpsilon) }
    }

    /// Centered ranks in `[-0.5, 0.5]`: `rank / (P - 1) - 0.5` with 0-based ranks, ties
    /// given the mean of the ranks they span. One member gets 0.
    public static func centeredRanks(_ fitness: [Double]) -> [Double] {
        let n = fitness.count
        guard n > 1 else { return [Double](repeating: 0, count: n) }
        let order = fitness.indices.sorted { fitness[$0] < fitness[$1] }
        var ranks = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start + 1
            while end < n && fitness[order[end]] == fitness[order[start]] { end += 1 }
            let average = Double(start + end - 1) / 2   // mean of ranks start...end-1
            for k in start..<end { ranks[order[k]] = average }
            start = end
        }
        let scale = 1 / Double(n - 1)
        return ranks.map { $0 * scale - 0.5 }
    }
}
