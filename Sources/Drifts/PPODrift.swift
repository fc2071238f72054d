/// PPO's drift: `f = ReLU((r - clip(r, 1-eps, 1+eps)) A)`.
///
/// Maximising `r A - f` equals PPO's clipped surrogate `min(r A, clip(r) A)`: the drift is
/// positive exactly where clipping removes the incentive (r beyond the clip edge on the
/// side the advantage pushes towards), so `dObj/dr` is `A` inside and 0 outside.
public struct PPODrift: Drift, Equatable {
    /// Clip range epsilon (0.2 in the LPO network's PPO term; Brax's PPO used 0.3).
    public var epsilon: Float

    public init(epsilon: Float = 0.2) {
        precondition(epsilon > 0 && epsilon < 1, "PPO epsilon must be in (0, 1), got \(epsilon)")
        self.epsilon = epsilon
    }

    public var kind: DriftKind { .ppo }
    public var summary: String { "ppo(eps=\(epsilon))" }

    /// The drift and its derivative at one point (shared with the LPO network's PPO term).
    @inlinable
    static func term(ratio r: Float, advantage a: Float, epsilon: Float) -> (f: Float, dfdr: Float) {
        let low = 1 - epsilon, high = 1 + epsilon
        let clipped = r < low ? low : (r > high ? high : r)
        let inner = (r - clipped) * a
        guard inner > 0 else { return (0, 0) }
        // r - clip(r) has slope 1 outside the clip range (where inner can be non-zero).
        return (inner, a)
    }

    public func evaluate(ratios: UnsafeBufferPointer<Float>, advantages: UnsafeBufferPointer<Float>, progress: Float,
                         drift: UnsafeMutableBufferPointer<Float>, derivative: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<ratios.count {
            let (f, d) = Self.term(ratio: ratios[i], advantage: advantages[i], epsilon: epsilon)
            drift[i] = f
            derivative[i] = d
        }
    }
}
