import Foundation
import NeuralNets
import Testing
import TestSupport

@Suite struct FastMathTests {
    @Test func tanhMatchesFoundationOverMinus20To20() {
        var worst = 0.0
        let n = 400_001
        for k in 0..<n {
            let x = Float(-20 + 40 * Double(k) / Double(n - 1))
            worst = max(worst, abs(Double(FastMath.tanh(x)) - Foundation.tanh(Double(x))))
        }
        #expect(worst < 5e-7, "max |fast tanh - tanh| = \(worst)")
    }

    @Test func tanhIsOddExactAtZeroAndSaturates() {
        #expect(FastMath.tanh(0) == 0)
        #expect(abs(FastMath.tanh(1e-20) / 1e-20 - 1) < 1e-6)
        #expect(FastMath.tanh(100) == 1 && FastMath.tanh(-100) == -1)
        #expect(FastMath.tanh(.greatestFiniteMagnitude) == 1 && FastMath.tanh(-.infinity) == -1)
        #expect(FastMath.tanh(.nan).isNaN && FastMath.sigmoid(.nan).isNaN)
        #expect(FastMath.sigmoid(.infinity) == 1 && FastMath.sigmoid(-.infinity) < 1e-37)
        for x: Float in [0.01, 0.3, 1.7, 5, 8.99] {
            #expect(FastMath.tanh(-x) == -FastMath.tanh(x))
            #expect(abs(FastMath.tanh(x)) <= 1)
        }
        // Small inputs keep their relative accuracy.
        for x: Float in [1e-6, 1e-4, 0.01, 0.05] {
            #expect(abs(Double(FastMath.tanh(x)) / Foundation.tanh(Double(x)) - 1) < 1e-6)
        }
    }

    @Test func bufferTanhMatchesScalar() {
        var rng = testStream(1)
        var x = [Float](repeating: 0, count: 1037)
        rng.fillNormal(&x, std: 4)
        // The 8-wide path meets the selects' edge cases too: the clamps at +-9, overshoot, NaN, inf.
        x.replaceSubrange(0..<16, with: [9, -9, 8.999999, -8.999999, 9.000001, -9.000001, .infinity, -.infinity,
                                         .nan, 0, -0.0, 1e-30, 30, -30, 5, -5])
        let y = FastMath.tanh(x)
        for i in x.indices {
            let scalar = FastMath.tanh(x[i])
            #expect(y[i] == scalar || (y[i].isNaN && scalar.isNaN), "x = \(x[i])")
            #expect(y[i].sign == scalar.sign || scalar.isNaN, "x = \(x[i])")
        }
    }

    @Test func sigmoidAndExpAreAccurate() {
        var worstSigmoid = 0.0, worstExp = 0.0
        for k in 0...200_000 {
            let x = Float(-100 + 200 * Double(k) / 200_000)
            let exact = 1 / (1 + Foundation.exp(-Double(x)))
            // Below -87 exp is clamped (outputs ~1e-38): only the absolute error is tiny there.
            let error = abs(Double(FastMath.sigmoid(x)) - exact)
            worstSigmoid = max(worstSigmoid, x >= -87 ? error / exact : error * 1e30)
            if x <= 0 && x >= -87 {
                let e = Foundation.exp(Double(x))
                worstExp = max(worstExp, abs(Double(FastMath.expNonPositive(x)) - e) / e)
            }
        }
        #expect(worstSigmoid < 1e-6, "sigmoid relative error \(worstSigmoid)")
        #expect(worstExp < 1e-6, "exp relative error \(worstExp)")
        #expect(FastMath.expNonPositive(0) == 1)
    }
}
