import Testing
import TestSupport
@testable import Training

@Suite struct ObservationNormalizerTests {
    @Test func batchedStatisticsEqualWholeSample() {
        var rng = testStream(7)
        let rows = 300, size = 3
        var data = [Float](repeating: 0, count: rows * size)
        for i in 0..<rows { for j in 0..<size { data[i * size + j] = Float(j + 1) * 2 + Float(j + 1) * rng.normalFloat() } }
        var incremental = ObservationNormalizer(size: size)
        data.withUnsafeBufferPointer { all in
            for start in stride(from: 0, to: rows, by: 70) { // uneven chunks: 70, 70, 70, 70, 20
                let n = min(70, rows - start)
                incremental.update(UnsafeBufferPointer(rebasing: all[start * size..<(start + n) * size]), rows: n)
            }
        }
        for j in 0..<size {
            let column = (0..<rows).map { Double(data[$0 * size + j]) }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            #expect(abs(incremental.mean[j] - mean) < 1e-9)
            #expect(abs(incremental.standardDeviation[j] - variance.squareRoot()) < 1e-9)
        }
    }

    @Test func normalisesAndClips() {
        var normalizer = ObservationNormalizer(size: 1)
        let batch: [Float] = [0, 2, 4, 6]  // mean 3, variance 5
        batch.withUnsafeBufferPointer { normalizer.update($0, rows: 4) }
        var out = [Float](repeating: 0, count: 3)
        let input: [Float] = [3, 3 + 5.0.squareRoot().float, 100]
        input.withUnsafeBufferPointer { i in out.withUnsafeMutableBufferPointer { normalizer.normalize(i, into: $0, rows: 3) } }
        #expect(abs(out[0]) < 1e-6)
        #expect(abs(out[1] - 1) < 1e-5)
        #expect(out[2] == 5) // (100 - 3) / sqrt(5) = 43.4, clipped to +5
    }

    @Test func constantFeatureUsesTheVarianceFloor() {
        var normalizer = ObservationNormalizer(size: 1)
        [Float](repeating: 1, count: 10).withUnsafeBufferPointer { normalizer.update($0, rows: 10) }
        #expect(abs(normalizer.standardDeviation[0] - 1e-3) < 1e-12) // sqrt(1e-6)
    }
}

private extension Double { var float: Float { Float(self) } }
