import Drifts
import Foundation

/// The policy loss shared by PPO, DPO, LPO and every other drift: the negative mirror
/// objective `-mean(r A - f(r, A))` (Lu et al. 2022, eq. 3), with `r = exp(logp - logp_old)`
/// (the log-ratio clamped to ±20, see `logRatioLimit`) and `A` normalised over the minibatch.
///
/// Its gradient with respect to the new log-probabilities is
/// `dL/dlogp_i = -(A_i - df/dr_i) r_i / n`, so the drift enters only through `df/dr`.
public struct MirrorObjective: Sendable {
    /// Result of one evaluation on a minibatch of `n` samples.
    public struct Output: Sendable {
        /// `-mean(r A - f)`.
        public var loss: Float
        /// `dLoss/dlogp`, `[n]`.
        public var logProbGradient: [Float]
        /// Fraction of samples with `f > 0` (where the drift is active).
        public var driftActiveFraction: Float
        /// `mean((r - 1) - log r)`, the low-variance KL(old || new) estimate.
        public var approxKL: Float
        /// Mean of `f`.
        public var meanDrift: Float
    }

    /// Log-ratios are clamped to `[-limit, limit]` before use. With a narrow tanh-Normal policy
    /// one far-off-policy sample can have `logp - logp_old` below -88, where float32 `exp`
    /// gives `r = 0` exactly; DPO's negative-advantage branch and LPO's features then take
    /// `log 0 = -inf` and the loss becomes NaN (DPO and LPO on Ant did this within ten updates,
    /// PPO never reads `log r`). A clamped sample is evaluated, and differentiated, as if it lay
    /// on the bound, so its gradient keeps the sign and size the drift gives there (DPO's
    /// rollback still pulls it back). `e^20` is far beyond any ratio a drift acts on
    /// differently, so nothing inside the bound changes.
    public static let logRatioLimit: Float = 20

    /// Normalise advantages per minibatch, `(A - mean) / (std + 1e-8)` as in the paper's
    /// code (population standard deviation).
    public var normalizeAdvantages: Bool

    public init(normalizeAdvantages: Bool = true) {
        self.normalizeAdvantages = normalizeAdvantages
    }

    /// `(A - mean) / (std + 1e-8)` with the population standard deviation.
    public static func normalized(_ advantages: [Float]) -> [Float] {
        guard !advantages.isEmpty else { return [] }
        let n = Float(advantages.count)
        let mean = advantages.reduce(0, +) / n
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let scale = 1 / (variance.squareRoot() + 1e-8)
        return advantages.map { ($0 - mean) * scale }
    }

    /// Evaluates the loss and its gradient.
    /// - Parameters:
    ///   - logProbs: log pi_new(a|s), `[n]`.
    ///   - oldLogProbs: log pi_old(a|s) from the rollout, `[n]`.
    ///   - advantages: raw GAE advantages, `[n]` (normalised here if configured).
    ///   - drift: the drift.
    ///   - progress: fraction of training done (for temporally-aware drifts).
    public func evaluate(logProbs: [Float], oldLogProbs: [Float], advantages: [Float],
                         drift: any Drift, progress: Float) -> Output {
        let n = logProbs.count
        precondition(oldLogProbs.count == n && advantages.count == n, "minibatch arrays differ in length")
        let a = normalizeAdvantages ? Self.normalized(advantages) : advantages
        var logRatios = [Float](repeating: 0, count: n), ratios = logRatios
        for i in 0..<n {
            logRatios[i] = min(max(logProbs[i] - oldLogProbs[i], -Self.logRatioLimit), Self.logRatioLimit)
            ratios[i] = exp(logRatios[i])
        }
        let values = drift.evaluate(ratios: ratios, advantages: a, progress: progress)
        var objective: Float = 0, active = 0, kl: Float = 0, driftSum: Float = 0
        var gradient = [Float](repeating: 0, count: n)
        let scale = 1 / Float(max(n, 1))
        for i in 0..<n {
            let r = ratios[i], f = values.drift[i]
            objective += r * a[i] - f
            driftSum += f
            if f > 0 { active += 1 }
            kl += (r - 1) - logRatios[i]
            gradient[i] = -(a[i] - values.derivative[i]) * r * scale
        }
        return Output(loss: -objective * scale, logProbGradient: gradient,
                      driftActiveFraction: Float(active) * scale, approxKL: kl * scale, meanDrift: driftSum * scale)
    }
}
