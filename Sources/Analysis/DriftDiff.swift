import Foundation

/// How two drifts differ, compared through their `dObj/dr` maps on one grid.
public struct DriftDiff: Sendable, Codable, Equatable {
    /// Summary of one region of the map.
    public struct Region: Sendable, Codable, Equatable {
        public var name: String
        /// Root-mean-square difference in the region.
        public var rms: Double
        /// Fraction of the region where both maps have the same sign.
        public var signAgreement: Double
        public var meanA: Double
        public var meanB: Double
    }

    /// Root-mean-square of `A - B` over the grid (a discrete L2 norm per grid point).
    public var l2: Double
    /// Largest `|A - B|`.
    public var maxAbs: Double
    /// Fraction of grid points where `sign(dObj/dr)` agrees (values within `zeroTolerance` of 0 count as 0).
    public var signAgreement: Double
    /// The four quadrants `A >= 0 / A < 0` x `r > 1 / r < 1` (points on `r = 1` are left out).
    public var quadrants: [Region]

    /// Values closer to zero than this count as zero when comparing signs.
    public static let zeroTolerance = 1e-6

    /// Compares two maps on the same grid; returns the summary and the map of `A - B`.
    public static func compare(_ a: ObjectiveMap, _ b: ObjectiveMap) throws -> (diff: DriftDiff, difference: ObjectiveMap) {
        guard a.logRatios == b.logRatios, a.advantages == b.advantages else {
            throw AnalysisError.invalidInput("the two maps are on different grids")
        }
        func sign(_ x: Double) -> Int { abs(x) < zeroTolerance ? 0 : (x > 0 ? 1 : -1) }
        var difference = a.values
        var squares = 0.0, maxAbs = 0.0, agree = 0
        struct Accumulator { var n = 0, agree = 0; var squares = 0.0, sumA = 0.0, sumB = 0.0 }
        var regions = [Accumulator](repeating: Accumulator(), count: 4)
        for i in 0..<a.rows {
            for j in 0..<a.columns {
                let k = i * a.columns + j
                let d = a.values[k] - b.values[k]
                difference[k] = d
                squares += d * d
                maxAbs = d.isNaN ? .nan : max(maxAbs, abs(d)) // keep a NaN visible
                let same = sign(a.values[k]) == sign(b.values[k])
                if same { agree += 1 }
                let x = a.logRatios[j]
                guard x != 0 else { continue }
                let q = (a.advantages[i] >= 0 ? 0 : 2) + (x > 0 ? 0 : 1)
                regions[q].n += 1
                regions[q].squares += d * d
                regions[q].sumA += a.values[k]
                regions[q].sumB += b.values[k]
                if same { regions[q].agree += 1 }
            }
        }
        let names = ["A >= 0, r > 1", "A >= 0, r < 1", "A < 0, r > 1", "A < 0, r < 1"]
        let quadrants = zip(names, regions).map { name, acc in
            let n = Double(max(acc.n, 1))
            return Region(name: name, rms: (acc.squares / n).squareRoot(), signAgreement: Double(acc.agree) / n,
                          meanA: acc.sumA / n, meanB: acc.sumB / n)
        }
        let n = Double(a.values.count)
        let diff = DriftDiff(l2: (squares / n).squareRoot(), maxAbs: maxAbs, signAgreement: Double(agree) / n,
                             quadrants: quadrants)
        return (diff, ObjectiveMap(logRatios: a.logRatios, advantages: a.advantages, values: difference))
    }
}
