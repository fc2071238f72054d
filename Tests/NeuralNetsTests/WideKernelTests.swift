import Tensors
import Testing
@testable import NeuralNets
import TestSupport

/// The AVX-512 row sums and Adam update against the eight-lane Swift loops they replace:
/// bit for bit, on every width and tail, with signed zeros, subnormals, infinities and NaN
/// among the inputs.
@Suite(.enabled(if: BLAS.ownKernelAvailable, "the CPU has no AVX-512F"))
struct WideKernelTests {
    static func same(_ x: [Float], _ y: [Float]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// Normal values with, now and then, the special ones.
    static func values(_ count: Int, _ rng: inout RandomStream) -> [Float] {
        let special: [Float] = [0, -0.0, .leastNonzeroMagnitude, -.leastNormalMagnitude / 3, .infinity, -.infinity, .nan, 1e30]
        return (0..<count).map { _ in rng.bernoulli(0.03) ? special[rng.integer(below: special.count)] : rng.normalFloat() }
    }

    @Test func rowSumsMatchTheSwiftLoop() {
        var rng = testStream(21)
        for trial in 0..<300 {
            let width = 1 + rng.integer(below: trial < 150 ? 80 : 300), stride = width + rng.integer(below: 3)
            let tableRows = 1 + rng.integer(below: 40)
            let table = Self.values(tableRows * stride, &rng)
            let rows = (0..<rng.integer(below: 12)).map { _ in Int32(rng.integer(below: tableRows)) }
            let start: [Float]? = rng.bernoulli(0.5) ? Self.values(width, &rng) : nil
            var wide = [Float](repeating: 7, count: width), narrow = wide
            table.withUnsafeBufferPointer { t in rows.withUnsafeBufferPointer { r in
                let s = start?.withUnsafeBufferPointer { $0.baseAddress! }
                wide.withUnsafeMutableBufferPointer { sumRows(into: $0.baseAddress!, start: s, table: t.baseAddress!, stride: stride, rows: r, width: width) }
                narrow.withUnsafeMutableBufferPointer {
                    sumRowsPortable(into: $0.baseAddress!, start: s, table: t.baseAddress!, stride: stride, rows: r, width: width)
                }
            } }
            #expect(Self.same(wide, narrow), "trial \(trial): width \(width), \(rows.count) rows, start \(start != nil)")
        }
    }

    @Test func adamMatchesTheSwiftLoop() {
        var rng = testStream(22)
        for count in [1, 7, 15, 16, 17, 31, 64, 100, 1000, 30019] {
            var wide = Adam(parameterCount: count, learningRate: 3e-4, epsilon: 1e-5), narrow = wide
            var p1 = Self.values(count, &rng), p2 = p1
            for _ in 0..<5 {  // moments that are not zero, bias corrections that change
                let g = Self.values(count, &rng)
                wide.update(parameters: &p1, gradient: g, wide: true)
                narrow.update(parameters: &p2, gradient: g, wide: false)
            }
            #expect(Self.same(p1, p2) && Self.same(wide.firstMoment, narrow.firstMoment)
                    && Self.same(wide.secondMoment, narrow.secondMoment), "\(count) parameters")
        }
    }
}
