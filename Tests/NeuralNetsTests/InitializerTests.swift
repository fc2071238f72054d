import NeuralNets
import Tensors
import Testing
import TestSupport

@Suite struct InitializerTests {
    @Test func lecunUniformBoundsAndVariance() {
        var rng = testStream(30)
        let w = Initializer.lecunUniform.makeMatrix(rows: 64, cols: 256, rng: &rng)
        let limit = (3.0 / 64).squareRoot()
        #expect(w.storage.allSatisfy { abs(Double($0)) <= limit })
        let variance = w.storage.reduce(0) { $0 + Double($1) * Double($1) } / Double(w.count)
        // Var U(-a, a) = a^2 / 3 = 1 / fanIn; 16384 samples give ~1% standard error.
        #expect(abs(variance * 64 - 1) < 0.05)
    }

    /// Tall kernels get orthonormal columns (`W^T W = g^2 I`), wide ones orthonormal rows.
    @Test(arguments: [(64, 16), (16, 64), (32, 32)])
    func orthogonalIsOrthogonalWithGain(_ shape: (Int, Int)) {
        var rng = testStream(31)
        let gain = Float(2).squareRoot()
        let w = Initializer.orthogonal(gain: gain).makeMatrix(rows: shape.0, cols: shape.1, rng: &rng)
        let tall = shape.0 >= shape.1
        let gram = tall ? BLAS.product(w, transposeA: true, w) : BLAS.product(w, w, transposeB: true)
        var worst: Float = 0
        for i in 0..<gram.rows { for j in 0..<gram.cols {
            worst = max(worst, abs(gram[i, j] - (i == j ? gain * gain : 0)))
        } }
        #expect(worst < 1e-5, "max |gram - g^2 I| = \(worst)")
    }

    @Test func zerosAndReproducibility() {
        var rng = testStream(32)
        #expect(Initializer.zeros.makeMatrix(rows: 3, cols: 4, rng: &rng).storage.allSatisfy { $0 == 0 })
        var a = testStream(33), b = testStream(33)
        #expect(Initializer.orthogonal(gain: 1).makeMatrix(rows: 5, cols: 3, rng: &a)
                == Initializer.orthogonal(gain: 1).makeMatrix(rows: 5, cols: 3, rng: &b))
    }
}
