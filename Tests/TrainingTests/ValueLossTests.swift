import Testing
import TestSupport
@testable import Training

@Suite struct ValueLossTests {
    @Test func plainLossHandWorked() {
        // 0.5 * 0.5 * mean([(1-0)^2, (2-4)^2]) = 0.25 * 2.5 = 0.625; dL/dV = 0.5 * (V - R) / 2
        let out = ValueLoss(coefficient: 0.5).evaluate(values: [1, 2], returns: [0, 4], oldValues: [0, 0])
        #expect(abs(out.loss - 0.625) < 1e-6)
        #expect(out.gradient == [0.25, -0.5])
    }

    @Test func clippedLossUsesTheLargerError() {
        // V = 2, V_old = 0, R = 1, eps = 0.2: plain error 1, clipped error (0 + 0.2 - 1) = -0.8.
        // Plain is larger -> loss 0.5*1 = 0.5, slope 1.
        var out = ValueLoss(coefficient: 1, clipRange: 0.2).evaluate(values: [2], returns: [1], oldValues: [0])
        #expect(abs(out.loss - 0.5) < 1e-6 && abs(out.gradient[0] - 1) < 1e-6)
        // V = 1.1, V_old = 0, R = 3: plain error -1.9, clipped (0.2 - 3) = -2.8 larger -> loss 3.92,
        // and V is outside the clip range, so no gradient flows.
        out = ValueLoss(coefficient: 1, clipRange: 0.2).evaluate(values: [1.1], returns: [3], oldValues: [0])
        #expect(abs(out.loss - 3.92) < 1e-5 && out.gradient[0] == 0)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let returns: [Float] = [0.3, -1.2, 2.0, 0.8], old: [Float] = [0.1, -1.0, 1.0, 0.9]
        let values: [Double] = [0.45, -0.5, 1.15, 0.2]
        for clip: Float? in [nil, 0.2] {
            let loss = ValueLoss(coefficient: 0.5, clipRange: clip)
            let analytic = loss.evaluate(values: values.map(Float.init), returns: returns, oldValues: old).gradient
            let numeric = numericalGradient(of: { v in
                Double(loss.evaluate(values: v.map(Float.init), returns: returns, oldValues: old).loss)
            }, at: values, step: 1e-3)
            #expect(maxRelativeError(analytic.map(Double.init), numeric, floor: 1e-2) < 1e-2)
        }
    }
}
