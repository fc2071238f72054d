import Testing
@testable import Tensors
import TestSupport

@Suite struct MatrixTests {
    /// Reference triple loop for op(A) op(B).
    func naiveProduct(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> Matrix {
        let a2 = ta ? a.transposed() : a
        let b2 = tb ? b.transposed() : b
        var c = Matrix(rows: a2.rows, cols: b2.cols)
        for i in 0..<a2.rows { for j in 0..<b2.cols {
            var s: Float = 0
            for k in 0..<a2.cols { s += a2[i, k] * b2[k, j] }
            c[i, j] = s
        } }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaiveLoop(_ ta: Bool, _ tb: Bool) {
        var rng = testStream(3)
        let (m, k, n) = (5, 7, 3)
        var a = Matrix(rows: ta ? k : m, cols: ta ? m : k)
        var b = Matrix(rows: tb ? n : k, cols: tb ? k : n)
        rng.fillNormal(&a.storage)
        rng.fillNormal(&b.storage)
        let fast = BLAS.product(a, transposeA: ta, b, transposeB: tb)
        let slow = naiveProduct(a, ta, b, tb)
        for (x, y) in zip(fast.storage, slow.storage) { #expect(abs(x - y) < 1e-4) }
    }

    @Test func gemmAccumulatesWithBeta() {
        let a = Matrix([[1, 2], [3, 4]])
        let i2 = Matrix([[1, 0], [0, 1]])
        var c = Matrix([[10, 10], [10, 10]])
        BLAS.gemm(a, i2, into: &c, alpha: 2, beta: 0.5)
        #expect(c == Matrix([[7, 9], [11, 13]]))
    }

    @Test func summaryStatistics() {
        let s = SampleSummary([1.0, 2.0, 3.0, 4.0])
        #expect(s.mean == 2.5)
        #expect(abs(s.standardDeviation - 1.2909944487358056) < 1e-12) // sqrt(5/3)
        #expect(abs(s.standardError - 1.2909944487358056 / 2) < 1e-12)
    }
}
