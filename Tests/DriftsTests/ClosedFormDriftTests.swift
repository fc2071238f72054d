import Testing
@testable import Drifts
import TestSupport

@Suite struct PPODriftTests {
    let ppo = PPODrift(epsilon: 0.2)

    // (r, A, f, df/dr): f = ReLU((r - clip(r, 0.8, 1.2)) A).
    @Test(arguments: [
        (Float(1.5), Float(2), Float(0.6), Float(2)),   // r > 1+eps, A > 0: (1.5-1.2)*2 = 0.6, clipped: slope A
        (1.1, 2, 0, 0),                                 // inside the clip range: no drift
        (0.5, 2, 0, 0),                                 // r < 1-eps, A > 0: (0.5-0.8)*2 < 0 -> 0
        (0.5, -1, 0.3, -1),                             // r < 1-eps, A < 0: (0.5-0.8)*(-1) = 0.3, slope A = -1
        (1.5, -1, 0, 0),                                // r > 1+eps, A < 0: 0.3*(-1) < 0 -> 0
        (1.2, 1, 0, 0),                                 // exactly on the clip edge: r - clip(r) = 0
        (1, 3, 0, 0),                                   // r = 1
    ])
    func valuesAndDerivatives(r: Float, a: Float, f: Float, dfdr: Float) {
        #expect(abs(ppo.value(ratio: r, advantage: a) - f) < 1e-6)
        #expect(ppo.derivative(ratio: r, advantage: a) == dfdr)
    }

    @Test func objectiveDerivativeIsClippedSurrogateGradient() {
        // d/dr min(r A, clip(r) A): A where unclipped, 0 where clipping binds.
        #expect(ppo.objectiveDerivative(ratio: 1.5, advantage: 2) == 0)
        #expect(ppo.objectiveDerivative(ratio: 0.5, advantage: 2) == 2)
        #expect(ppo.objectiveDerivative(ratio: 0.5, advantage: -1) == 0)
        #expect(ppo.objectiveDerivative(ratio: 1.5, advantage: -1) == -1)
    }
}

@Suite struct DPODriftTests {
    let dpo = DPODrift(alpha: 2, beta: 0.6)

    @Test func positiveAdvantageAboveOne() {
        // z = (1.5-1)*1 = 0.5; f = 0.5 - 2 tanh(0.25) = 0.0101626752; df/dr = tanh^2(0.25) = 0.0599851512
        #expect(abs(dpo.value(ratio: 1.5, advantage: 1) - 0.010162675) < 1e-6)
        #expect(abs(dpo.derivative(ratio: 1.5, advantage: 1) - 0.059985151) < 1e-6)
        // dObj/dr = A sech^2((r-1)A/alpha) = 1 - 0.0599851512
        #expect(abs(dpo.objectiveDerivative(ratio: 1.5, advantage: 1) - 0.940014849) < 1e-6)
    }

    @Test func positiveAdvantageBelowOneHasNoDrift() {
        #expect(dpo.value(ratio: 0.5, advantage: 1) == 0)
        #expect(dpo.objectiveDerivative(ratio: 0.5, advantage: 1) == 1)
    }

    @Test func negativeAdvantageBelowOneRollsBack() {
        // z = log(0.5)*(-1) = 0.693147; t = tanh(z/0.6); f = z - 0.6 t = 0.2014566037
        // df/dr = (A/r) t^2 = -1.3431090188; dObj/dr = -1 + 1.3431090188 = 0.3431090188 > 0 (rollback)
        #expect(abs(dpo.value(ratio: 0.5, advantage: -1) - 0.201456604) < 1e-6)
        #expect(abs(dpo.derivative(ratio: 0.5, advantage: -1) - -1.343109019) < 1e-5)
        #expect(abs(dpo.objectiveDerivative(ratio: 0.5, advantage: -1) - 0.343109019) < 1e-5)
        // z = log(0.2)*(-2) = 3.218876; dObj/dr = -2 + (2/0.2) tanh^2(z/0.6) = 7.9991245306
        #expect(abs(dpo.objectiveDerivative(ratio: 0.2, advantage: -2) - 7.999124531) < 1e-4)
    }

    @Test func negativeAdvantageAboveOneHasNoDrift() {
        #expect(dpo.value(ratio: 1.5, advantage: -1) == 0)
        #expect(dpo.objectiveDerivative(ratio: 1.5, advantage: -1) == -1)
    }

    @Test func zeroAdvantageAndUnitRatio() {
        #expect(dpo.value(ratio: 1.7, advantage: 0) == 0)
        #expect(dpo.derivative(ratio: 1.7, advantage: 0) == 0)
        for a: Float in [-3, -0.5, 0.5, 3] {
            #expect(dpo.value(ratio: 1, advantage: a) == 0)
            #expect(dpo.derivative(ratio: 1, advantage: a) == 0)
        }
    }

    @Test func derivativeMatchesFiniteDifferences() {
        let h: Float = 1e-3
        for (r, a) in [(Float(1.3), Float(0.7)), (1.9, 2.5), (0.6, -0.4), (0.3, -3), (0.9, -1.2)] {
            let fd = (dpo.value(ratio: r + h, advantage: a) - dpo.value(ratio: r - h, advantage: a)) / (2 * h)
            let exact = dpo.derivative(ratio: r, advantage: a)
            #expect(abs(fd - exact) <= 2e-3 * max(1, abs(exact)), "r=\(r) A=\(a): fd \(fd) vs \(exact)")
        }
    }
}
