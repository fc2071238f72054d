import Foundation

/// The qualitative features the paper reads off learned drifts (Lu et al. 2022, Section 6),
/// each as a number and a verdict, computed from a `dObj/dr` map.
public struct DriftFeatures: Sendable, Codable, Equatable {
    public struct Feature: Sendable, Codable, Equatable {
        public var present: Bool
        public var score: Double
    }

    /// Rollback: for `A < 0` and `r` well below 1 (`log r <= -0.3`), `dObj/dr > 0`, so the
    /// objective pushes a too-unlikely action's probability back up. Score: mean of
    /// `dObj/dr / |A|` over that region (0 for PPO, which is flat there; positive when
    /// rolling back). Present when above 0.05.
    public var rollback: Feature
    /// Pull-back, rollback's mirror image under `(log r, A) -> (-log r, -A)`: for `A > 0` and
    /// `r` well above 1 (`log r >= 0.3`), `dObj/dr < 0`, so the objective pushes a too-likely
    /// action's probability back down instead of only ceasing to raise it (PPO: flat there;
    /// DPO: still raising it, its cautious optimism). Score: mean of `-(dObj/dr) / A` over that
    /// region (NaN when the grid has no such point). Present when above 0.05.
    public var pullBack: Feature
    /// Cautious optimism: for `A > 0` and `r > 1`, the incentive `g = (dObj/dr) / A` decays as
    /// `r` grows, smoothly rather than with PPO's hard cut. Score: mean over advantage rows of
    /// `(1 - g at the largest r) * (1 - largest drop of g between neighbouring grid points)`.
    /// Present when the score is above 0.1 and no drop exceeds 0.3.
    public var cautiousOptimism: Feature
    /// Asymmetry: positive and negative advantages are treated differently. Score: RMS of
    /// `g(x, A) - g(-x, -A)` over the grid (with `x = log r`, `g = (dObj/dr) / A`), relative
    /// to the RMS of `g` — 0 for a drift symmetric under `(log r, A) -> (-log r, -A)`.
    /// Present when above 0.25.
    public var asymmetry: Feature

    enum CodingKeys: String, CodingKey {
        case rollback, pullBack = "pull_back", cautiousOptimism = "cautious_optimism", asymmetry
    }

    /// Detects the features on `map`, whose grid should be symmetric around `log r = 0` and
    /// `A = 0` (the default `[-1, 1] x [-4, 4]` grid is).
    public static func detect(_ map: ObjectiveMap) throws -> DriftFeatures {
        guard map.values.allSatisfy(\.isFinite) else { throw AnalysisError.invalidInput("the derivative map contains NaN or infinity") }
        // Rollback.
        var rollbackSum = 0.0, rollbackCount = 0
        for i in 0..<map.rows where map.advantages[i] < -0.25 {
            for j in 0..<map.columns where map.logRatios[j] <= -0.3 {
                rollbackSum += map[i, j] / abs(map.advantages[i])
                rollbackCount += 1
            }
        }
        guard rollbackCount > 0 else { throw AnalysisError.invalidInput("the grid has no points with A < 0 and log r <= -0.3") }
        let rollbackScore = rollbackSum / Double(rollbackCount)

        // Pull-back.
        var pullSum = 0.0, pullCount = 0
        for i in 0..<map.rows where map.advantages[i] > 0.25 {
            for j in 0..<map.columns where map.logRatios[j] >= 0.3 {
                pullSum -= map[i, j] / map.advantages[i]
                pullCount += 1
            }
        }
        // A grid that stops short of log r = 0.3 cannot show it: NaN, absent (the other features still read).
        let pullScore = pullCount > 0 ? pullSum / Double(pullCount) : .nan

        // Cautious optimism.
        var cautionSum = 0.0, cautionRows = 0, largestDrop = 0.0
        let positiveColumns = (0..<map.columns).filter { map.logRatios[$0] > 0 }
        for i in 0..<map.rows where map.advantages[i] > 0.25 && positiveColumns.count >= 2 {
            let g = positiveColumns.map { map[i, $0] / map.advantages[i] }
            var drop = 0.0
            for k in 1..<g.count { drop = max(drop, g[k - 1] - g[k]) }
            largestDrop = max(largestDrop, drop)
            cautionSum += max(0, 1 - g.last!) * max(0, 1 - drop)
            cautionRows += 1
        }
        guard cautionRows > 0 else { throw AnalysisError.invalidInput("the grid has no points with A > 0 and r > 1") }
        let cautionScore = cautionSum / Double(cautionRows)

        // Asymmetry: compare each point with its mirror image (nearest grid point).
        var mismatch = 0.0, magnitude = 0.0
        for i in 0..<map.rows where abs(map.advantages[i]) > 0.25 {
            let mi = nearest(-map.advantages[i], in: map.advantages)
            for j in 0..<map.columns {
                let mj = nearest(-map.logRatios[j], in: map.logRatios)
                let g = map[i, j] / map.advantages[i]
                let mirrored = map[mi, mj] / map.advantages[mi]
                mismatch += (g - mirrored) * (g - mirrored)
                magnitude += g * g
            }
        }
        let asymmetryScore = magnitude > 0 ? (mismatch / magnitude).squareRoot() : 0
        return DriftFeatures(
            rollback: Feature(present: rollbackScore > 0.05, score: rollbackScore),
            pullBack: Feature(present: pullScore > 0.05, score: pullScore),
            cautiousOptimism: Feature(present: cautionScore > 0.1 && largestDrop <= 0.3, score: cautionScore),
            asymmetry: Feature(present: asymmetryScore > 0.25, score: asymmetryScore))
    }

    static func nearest(_ x: Double, in values: [Double]) -> Int {
        var best = 0
        for k in values.indices where abs(values[k] - x) < abs(values[best] - x) { best = k }
        return best
    }
}
