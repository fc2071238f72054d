import Storage
import Tensors

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

    public func evaluate(ratio: Float, advantage: Float, progress: Float) -> (f: Float, dfdr: Float) {
        Self.term(ratio: ratio, advantage: advantage, epsilon: epsilon)
    }
}

extension PPODrift: RegisteredDrift {
    public static var kinds: [DriftKind] { [.ppo] }

    /// `ppo` or `ppo:eps=0.3`.
    public static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> PPODrift {
        PPODrift(epsilon: try options.number("eps", default: 0.2, where: { $0 > 0 && $0 < 1 }, "a number in (0, 1)"))
    }

    /// The clip range as attribute `ppo_eps`.
    public func write(into group: HDF5Group) throws {
        try group.setAttribute("ppo_eps", epsilon.decimalDouble)
    }

    public static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> PPODrift {
        let eps = try positiveAttribute("ppo_eps", of: group, path: path)
        guard eps < 1 else { throw DriftError.invalidFile(path: path, reason: "/drift/ppo_eps = \(eps) must be below 1") }
        return PPODrift(epsilon: eps)
    }
}

extension DriftSpec {
    /// The spec of PPO's drift with clip range `epsilon`.
    public static func ppo(epsilon: Float) -> DriftSpec { .registered(.ppo, [.init(key: "eps", value: "\(epsilon)")]) }
}
