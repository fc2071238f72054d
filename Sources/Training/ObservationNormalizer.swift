/// Running mean and variance of observations (Brax's running statistics), used to feed the
/// networks `clip((x - mean) / sqrt(clip(var, 1e-6, 1e6)), -5, 5)`.
///
/// Statistics are updated once per rollout with all its samples (Chan et al.'s parallel
/// combination of counts, means and sums of squares, in double precision), so the result does
/// not depend on how the batch is split.
public struct ObservationNormalizer: Sendable, Equatable, Codable {
    /// Floats per observation.
    public let size: Int
    public private(set) var count: Double = 0
    public private(set) var mean: [Double]
    /// Sum of squared deviations from the mean.
    public private(set) var sumOfSquares: [Double]
    /// Variance clip range and output clip, from Brax.
    public static let varianceRange: ClosedRange<Double> = 1e-6...1e6
    public static let outputLimit: Float = 5

    public init(size: Int) {
        self.size = size
        mean = [Double](repeating: 0, count: size)
        sumOfSquares = mean
    }

    /// Statistics read back from a file; nil unless `mean` and `sumOfSquares` have `size`
    /// elements and the count is finite and non-negative.
    public init?(count: Double, mean: [Double], sumOfSquares: [Double]) {
        guard mean.count == sumOfSquares.count, count >= 0, count.isFinite else { return nil }
        size = mean.count
        self.count = count
        self.mean = mean
        self.sumOfSquares = sumOfSquares
    }

    /// Adds a batch `[rows, size]` to the statistics.
    public mutating func update(_ batch: UnsafeBufferPointer<Float>, rows: Int) {
        precondition(batch.count >= rows * size, "observation batch is smaller than rows x size")
        guard rows > 0 else { return }
        let n = Double(rows)
        let total = count + n
        for j in 0..<size {
            var batchMean = 0.0
            for i in 0..<rows { batchMean += Double(batch[i * size + j]) }
            batchMean /= n
            var batchSquares = 0.0
            for i in 0..<rows {
                let d = Double(batch[i * size + j]) - batchMean
                batchSquares += d * d
            }
            let delta = batchMean - mean[j]
            mean[j] += delta * n / total
            sumOfSquares[j] += batchSquares + delta * delta * count * n / total
        }
        count = total
    }

    /// Standard deviation used for normalising, per feature.
    public var standardDeviation: [Double] {
        sumOfSquares.map { count > 0 ? min(max($0 / count, Self.varianceRange.lowerBound), Self.varianceRange.upperBound).squareRoot() : 1 }
    }

    /// Writes normalised observations: `output[i] = clip((input[i] - mean) / std, -5, 5)`.
    public func normalize(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, rows: Int) {
        let std = standardDeviation
        var shift = [Float](repeating: 0, count: size), scale = shift
        for j in 0..<size {
            shift[j] = Float(mean[j])
            scale[j] = Float(1 / std[j])
        }
        let limit = Self.outputLimit
        for i in 0..<rows {
            for j in 0..<size {
                let z = (input[i * size + j] - shift[j]) * scale[j]
                output[i * size + j] = z < -limit ? -limit : (z > limit ? limit : z)
            }
        }
    }
}
