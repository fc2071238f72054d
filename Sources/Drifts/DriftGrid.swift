import Foundation

/// A rectangular grid over `(log r, A)`, the coordinates of the paper's derivative maps
/// (log r in [-1, 1], A in [-4, 4] by default, as in the public re-implementation).
public struct DriftGrid: Sendable, Equatable {
    /// Closed range of `log r`.
    public var logRatioRange: ClosedRange<Double>
    /// Closed range of `A`.
    public var advantageRange: ClosedRange<Double>
    /// Points along each axis (both ends included).
    public var resolution: Int

    /// Largest points per axis: a map holds `resolution²` points (2001² is 4 million).
    public static let maximumResolution = 2001
    /// Largest `|log r|`: beyond e^50 the ratio overflows Float.
    public static let maximumLogRatio = 50.0
    /// Largest `|A|`.
    public static let maximumAdvantage = 1e6

    public init(logRatioRange: ClosedRange<Double> = -1...1, advantageRange: ClosedRange<Double> = -4...4,
                resolution: Int = 101) throws {
        guard resolution >= 2 else { throw DriftError.invalidSpec("grid resolution must be at least 2, got \(resolution)") }
        guard resolution <= Self.maximumResolution else {
            throw DriftError.invalidSpec("grid resolution \(resolution) is above the limit of \(Self.maximumResolution) points per axis")
        }
        guard logRatioRange.lowerBound < logRatioRange.upperBound,
              advantageRange.lowerBound < advantageRange.upperBound,
              [logRatioRange.lowerBound, logRatioRange.upperBound,
               advantageRange.lowerBound, advantageRange.upperBound].allSatisfy(\.isFinite) else {
            throw DriftError.invalidSpec("grid ranges must be finite with low < high")
        }
        guard max(abs(logRatioRange.lowerBound), abs(logRatioRange.upperBound)) <= Self.maximumLogRatio else {
            throw DriftError.invalidSpec("log r range \(logRatioRange.lowerBound),\(logRatioRange.upperBound) goes beyond "
                + "±\(Self.maximumLogRatio) (r = e^50 already overflows Float)")
        }
        guard max(abs(advantageRange.lowerBound), abs(advantageRange.upperBound)) <= Self.maximumAdvantage else {
            throw DriftError.invalidSpec("A range \(advantageRange.lowerBound),\(advantageRange.upperBound) goes beyond ±1e6")
        }
        self.logRatioRange = logRatioRange
        self.advantageRange = advantageRange
        self.resolution = resolution
    }

    /// The `log r` values, low to high.
    public var logRatios: [Double] { Self.axis(logRatioRange, resolution) }
    /// The `A` values, low to high.
    public var advantages: [Double] { Self.axis(advantageRange, resolution) }

    static func axis(_ range: ClosedRange<Double>, _ n: Int) -> [Double] {
        (0..<n).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(n - 1) }
    }

    /// Evaluates a drift on the grid. Rows are advantages, columns log-ratios:
    /// element `[i * resolution + j]` is at `A = advantages[i]`, `log r = logRatios[j]`.
    public func evaluate(_ drift: any Drift, progress: Float = 0) -> Values {
        let lr = logRatios, adv = advantages
        var ratios = [Float](), advs = [Float]()
        ratios.reserveCapacity(resolution * resolution)
        advs.reserveCapacity(resolution * resolution)
        for a in adv { for l in lr { ratios.append(Float(exp(l))); advs.append(Float(a)) } }
        let values = drift.evaluate(ratios: ratios, advantages: advs, progress: progress)
        return Values(grid: self, ratios: ratios, advantages: advs, drift: values.drift, derivative: values.derivative)
    }

    /// A drift evaluated over the grid: flat arrays in the grid's row order (single precision,
    /// as training computes them; `Analysis.ObjectiveMap` holds the analysis' double-precision map).
    public struct Values: Sendable {
        public let grid: DriftGrid
        public let ratios: [Float]
        public let advantages: [Float]
        /// `f(r, A)`.
        public let drift: [Float]
        /// `df/dr`.
        public let derivative: [Float]
        /// `dObj/dr = A - df/dr`, what the paper's heat maps show.
        public var objectiveDerivative: [Float] { zip(advantages, derivative).map { $0 - $1 } }
    }
}
