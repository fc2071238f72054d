import Drifts
import Testing
import TestSupport
@testable import Training

@Suite struct MirrorObjectiveTests {
    let logProbs: [Float] = [-1.2, -0.3, -2.0, -0.7, -1.5, -0.9]
    let oldLogProbs: [Float] = [-1.0, -0.6, -1.4, -0.85, -1.1, -1.3] // no ratio sits on a kink (r = 1, 0.8, 1.2)
    let advantages: [Float] = [1.5, -0.4, 2.2, -1.9, 0.3, -0.8]

    /// d loss / d logp against central differences in the log-probabilities, for each drift.
    @Test func gradientMatchesFiniteDifferences() throws {
        let drifts: [any Drift] = [PPODrift(epsilon: 0.2), DPODrift(),
                                   try NetworkDrift.make(.lpo, initialisation: .random(seed: 4)),
                                   try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: 4))]
        let objective = MirrorObjective()
        for drift in drifts {
            let out = objective.evaluate(logProbs: logProbs, oldLogProbs: oldLogProbs, advantages: advantages,
                                         drift: drift, progress: 0.4)
            let numeric = numericalGradient(of: { lp in
                Double(objective.evaluate(logProbs: lp.map(Float.init), oldLogProbs: oldLogProbs,
                                          advantages: advantages, drift: drift, progress: 0.4).loss)
            }, at: logProbs.map(Double.init), step: 1e-3)
            let err = maxRelativeError(out.logProbGradient.map(Double.init), numeric, floor: 1e-2)
            #expect(err < 1e-2, "\(drift.summary): analytic \(out.logProbGradient) numeric \(numeric)")
        }
    }

    /// A sample far off-policy (r = e^-200 underflows to 0, e^200 overflows) gives a finite loss
    /// and gradient, the same as a sample on the ±20 bound, for every drift; the DPO rollback
    /// still pulls a negative-advantage sample back up.
    @Test func farOffPolicySamplesStayFiniteAndActAsOnTheBound() throws {
        let drifts: [any Drift] = [PPODrift(epsilon: 0.2), DPODrift(),
                                   try NetworkDrift.make(.lpo, initialisation: .random(seed: 4)),
                                   try NetworkDrift.make(.lpoZero, initialisation: .random(seed: 4))]
        let objective = MirrorObjective(normalizeAdvantages: false)
        let old: [Float] = [0, 0, 0, 0]
        let a: [Float] = [-1.5, 1.5, -1.5, 1.5]
        for drift in drifts {
            let far = objective.evaluate(logProbs: [-200, -200, 200, 200], oldLogProbs: old, advantages: a, drift: drift, progress: 0)
            let bound = objective.evaluate(logProbs: [-20, -20, 20, 20], oldLogProbs: old, advantages: a, drift: drift, progress: 0)
            #expect(far.loss.isFinite && far.logProbGradient.allSatisfy(\.isFinite), "\(drift.summary): \(far.loss) \(far.logProbGradient)")
            #expect(far.loss == bound.loss && far.logProbGradient == bound.logProbGradient, "\(drift.summary)")
            #expect(far.approxKL.isFinite)
        }
        // DPO at r = e^-20, A < 0: dLoss/dlogp = -(rA - A tanh^2(z/beta)) ~ A < 0, so descent raises logp.
        let dpo = objective.evaluate(logProbs: [-200], oldLogProbs: [0], advantages: [-1.5], drift: DPODrift(), progress: 0)
        #expect(abs(dpo.logProbGradient[0] - -1.5) < 1e-4, "\(dpo.logProbGradient)")
        // Inside the bound nothing changes: r = exp(logp - logp_old) exactly.
        let inside = objective.evaluate(logProbs: [-19.5], oldLogProbs: [0], advantages: [1], drift: PPODrift(epsilon: 0.2), progress: 0)
        #expect(inside.loss == -exp(Float(-19.5)))
    }

    @Test func ppoLossEqualsClippedSurrogate() {
        let objective = MirrorObjective()
        let out = objective.evaluate(logProbs: logProbs, oldLogProbs: oldLogProbs, advantages: advantages,
                                     drift: PPODrift(epsilon: 0.2), progress: 0)
        let a = MirrorObjective.normalized(advantages)
        var surrogate: Float = 0
        for i in logProbs.indices {
            let r = (logProbs[i] - oldLogProbs[i]).exp
            surrogate += min(r * a[i], min(max(r, 0.8), 1.2) * a[i])
        }
        #expect(abs(out.loss - -surrogate / Float(logProbs.count)) < 1e-5)
    }

    @Test func normalisationHasZeroMeanUnitVariance() {
        let a = MirrorObjective.normalized([1, 2, 3, 4, 10])
        let mean = a.reduce(0, +) / 5
        let variance = a.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5
        #expect(abs(mean) < 1e-6)
        #expect(abs(variance - 1) < 1e-5)
    }

    @Test func atOldPolicyTheGradientIsThePolicyGradient() {
        // r = 1 everywhere: every valid drift has df/dr = 0, so dL/dlogp = -A/n (vanilla PG).
        let objective = MirrorObjective()
        let out = objective.evaluate(logProbs: oldLogProbs, oldLogProbs: oldLogProbs, advantages: advantages,
                                     drift: DPODrift(), progress: 0)
        let a = MirrorObjective.normalized(advantages)
        for i in a.indices { #expect(abs(out.logProbGradient[i] + a[i] / 6) < 1e-6) }
        #expect(out.driftActiveFraction == 0)
        #expect(abs(out.approxKL) < 1e-7)
    }
}

private extension Float {
    var exp: Float { Foundation.exp(self) }
}
import Foundation
