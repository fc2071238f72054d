import Foundation
import NeuralNets
import Testing
import TestSupport

@Suite struct AdamTests {
    @Test func firstStepMovesByLearningRateTimesSign() {
        var adam = Adam(parameterCount: 4, learningRate: 0.01)
        var p: [Float] = [1, -2, 3, 0.5]
        let g: [Float] = [0.3, -5, 1e-3, 200]
        adam.update(&p, gradient: g)
        // mHat = g and vHat = g^2, so the step is lr * g / (|g| + eps).
        let expected: [Float] = [1 - 0.01, -2 + 0.01, 3 - 0.01, 0.5 - 0.01]
        for (a, b) in zip(p, expected) { #expect(abs(a - b) < 1e-6) }
        #expect(adam.step == 1)
    }

    @Test func secondStepMatchesHandComputedBiasCorrection() {
        var adam = Adam(parameterCount: 1, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-5)
        var p: [Float] = [0]
        adam.update(&p, gradient: [1])
        adam.update(&p, gradient: [3])
        // m2 = 0.9*0.1 + 0.1*3 = 0.39, mHat = 0.39/0.19; v2 = 0.999*0.001 + 0.001*9 = 0.009999,
        // vHat = 0.009999/0.001999; p = -0.1 * (1/(1+1e-5)) - 0.1 * mHat / (sqrt(vHat) + 1e-5).
        let step1 = 0.1 / (1 + 1e-5)
        let step2 = 0.1 * (0.39 / 0.19) / ((0.009999 / 0.001999).squareRoot() + 1e-5)
        #expect(abs(Double(p[0]) + step1 + step2) < 1e-5)
    }

    /// The 8-wide loop and the scalar tail do the same rounded operations as a plain loop:
    /// 21 parameters (two vector steps and a tail of 5), three steps, equal bit for bit.
    @Test func vectorLoopEqualsThePlainLoopExactly() {
        var rng = testStream(31)
        var adam = Adam(parameterCount: 21, learningRate: 3e-3, epsilon: 1e-5)
        var p = [Float](repeating: 0, count: 21)
        rng.fillNormal(&p)
        var reference = p, m = [Float](repeating: 0, count: 21), v = m
        for step in 1...3 {
            var g = [Float](repeating: 0, count: 21)
            rng.fillNormal(&g)
            adam.update(&p, gradient: g)
            // The hyperparameters are Floats; the bias corrections are computed in Double from them.
            let (b1, b2, lr, e): (Float, Float, Float, Float) = (0.9, 0.999, 3e-3, 1e-5)
            let c1 = 1 - Foundation.pow(Double(b1), Double(step)), c2 = 1 - Foundation.pow(Double(b2), Double(step))
            let size = Float(Double(lr) * c2.squareRoot() / c1), eps = Float(Double(e) * c2.squareRoot())
            for i in 0..<21 {
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                reference[i] -= size * m[i] / (v[i].squareRoot() + eps)
            }
        }
        #expect(p == reference)
        #expect(adam.firstMoment == m && adam.secondMoment == v)
    }

    @Test func codableStateResumesIdentically() throws {
        var a = Adam(parameterCount: 3, learningRate: 3e-4, epsilon: 1e-5)
        var p: [Float] = [0.1, 0.2, 0.3]
        a.update(&p, gradient: [1, -1, 0.5])
        var b = try JSONDecoder().decode(Adam.self, from: JSONEncoder().encode(a))
        #expect(a == b)
        var q = p
        a.update(&p, gradient: [0.2, 0.4, -3])
        b.update(&q, gradient: [0.2, 0.4, -3])
        #expect(p == q)
    }

    @Test func decodingRejectsMismatchedMoments() {
        let json = #"{"learningRate":0.1,"beta1":0.9,"beta2":0.999,"epsilon":1e-8,"firstMoment":[0,0],"secondMoment":[0],"step":1}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Adam.self, from: Data(json.utf8)) }
    }

    @Test func clippingScalesToTargetNormAndReturnsPreClipNorm() {
        var g: [Float] = [3, 4]
        let norm = GradientClipping.clipByGlobalNorm(&g, maxNorm: 0.5)
        #expect(norm == 5)
        #expect(abs(GradientClipping.globalNorm(g) - 0.5) < 1e-6)
        #expect(abs(g[0] / g[1] - 0.75) < 1e-6)
        var small: [Float] = [0.1, 0.2]
        #expect(abs(GradientClipping.clipByGlobalNorm(&small, maxNorm: 1) - Float(0.05).squareRoot()) < 1e-6)
        #expect(small == [0.1, 0.2])
    }
}
