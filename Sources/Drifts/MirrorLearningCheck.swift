import Foundation

/// Checks the Mirror-Learning conditions on a drift (Kuba et al. 2022; Lu et al. 2022,
/// Section 3): `f >= 0` everywhere, `f(1, A) = 0` and `df/dr(1, A) = 0` for every `A`.
/// A drift that fails them loses the monotonic-improvement guarantee.
public struct MirrorLearningCheck: Sendable {
    /// One condition's verdict with its worst violation.
    public struct Condition: Sendable, Codable, Equatable {
        public let name: String
        public let holds: Bool
        /// Largest violation found (0 when the condition holds exactly).
        public let worstViolation: Double
        /// Where the worst violation was found.
        public let worstRatio: Double
        public let worstAdvantage: Double
    }

    public let grid: DriftGrid
    /// Largest |f(1, A)| and |df/dr(1, A)| accepted as zero.
    public let tolerance: Double
    /// Training progress values at which temporally-aware drifts are checked.
    public let progressValues: [Float]

    public init(grid: DriftGrid, tolerance: Double = 1e-6, progressValues: [Float] = [0, 0.5, 1]) {
        self.grid = grid
        self.tolerance = tolerance
        self.progressValues = progressValues
    }

    /// Runs the three checks.
    public func run(_ drift: any Drift) -> [Condition] {
        let progresses = drift.usesProgress ? progressValues : [0]
        var nonNegative = Worst(name: "f >= 0 on the grid")
        var zeroAtOne = Worst(name: "f(1, A) = 0")
        var flatAtOne = Worst(name: "df/dr(1, A) = 0")
        let advantages = grid.advantages.map(Float.init)
        for p in progresses {
            let map = grid.evaluate(drift, progress: p)
            for i in map.drift.indices {
                let f = Double(map.drift[i])
                // NaN must count as a violation: max(0, -NaN) would be 0.
                nonNegative.record(f.isNaN ? .nan : max(0, -f), map.ratios[i], map.advantages[i])
            }
            let atOne = drift.evaluate(ratios: [Float](repeating: 1, count: advantages.count),
                                       advantages: advantages, progress: p)
            for i in advantages.indices {
                zeroAtOne.record(Double(abs(atOne.drift[i])), 1, advantages[i])
                flatAtOne.record(Double(abs(atOne.derivative[i])), 1, advantages[i])
            }
        }
        return [nonNegative.condition(tolerance: 0), zeroAtOne.condition(tolerance: tolerance),
                flatAtOne.condition(tolerance: tolerance)]
    }

    struct Worst {
        let name: String
        var value = 0.0, ratio = 1.0, advantage = 0.0
        mutating func record(_ v: Double, _ r: Float, _ a: Float) {
            if v > value || v.isNaN { value = v; ratio = Double(r); advantage = Double(a) }
        }
        func condition(tolerance: Double) -> Condition {
            Condition(name: name, holds: value <= tolerance, worstViolation: value,
                      worstRatio: ratio, worstAdvantage: advantage)
        }
    }
}
