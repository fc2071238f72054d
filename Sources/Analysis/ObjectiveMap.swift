import Drifts
import Foundation

/// `dObj/dr = A - df/dr` of a drift over a `(log r, A)` grid, in double precision, laid out
/// as the paper's heat maps: `values[i * columns + j]` at `A = advantages[i]` (rows, low to
/// high) and `log r = logRatios[j]` (columns, low to high).
public struct ObjectiveMap: Sendable {
    public let logRatios: [Double]
    public let advantages: [Double]
    public var values: [Double]

    public var rows: Int { advantages.count }
    public var columns: Int { logRatios.count }

    public init(logRatios: [Double], advantages: [Double], values: [Double]) {
        precondition(values.count == logRatios.count * advantages.count, "map values do not fill the grid")
        self.logRatios = logRatios
        self.advantages = advantages
        self.values = values
    }

    /// The map of `drift` on `grid` (at training progress `progress` for temporally-aware drifts).
    public init(drift: any Drift, grid: DriftGrid, progress: Float = 0) {
        let map = grid.evaluate(drift, progress: progress)
        self.init(logRatios: grid.logRatios, advantages: grid.advantages, values: map.objectiveDerivative.map(Double.init))
    }

    /// The map of any function of `(r, A)` on the same grid as `self`.
    public func sameGrid(_ f: (_ r: Double, _ a: Double) -> Double) -> ObjectiveMap {
        var out = [Double](repeating: 0, count: values.count)
        for i in 0..<rows { for j in 0..<columns { out[i * columns + j] = f(exp(logRatios[j]), advantages[i]) } }
        return ObjectiveMap(logRatios: logRatios, advantages: advantages, values: out)
    }

    @inlinable public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }

    /// Slices: `dObj/dr` against `r` at fixed advantages, each over `ratios`.
    public static func slices(of drift: any Drift, advantages: [Double], ratios: [Double],
                              progress: Float = 0) -> [(advantage: Double, values: [Double])] {
        advantages.map { a in
            let values = drift.evaluate(ratios: ratios.map(Float.init), advantages: [Float](repeating: Float(a), count: ratios.count),
                                        progress: progress)
            return (a, zip(ratios, values.derivative).map { _, d in a - Double(d) })
        }
    }
}
