import Foundation
import Storage
import Tensors

/// Discovered Policy Optimisation's closed-form drift (Lu et al. 2022, Section 6), branch
/// chosen on the (normalised) advantage:
/// - `A >= 0`: `f = ReLU((r-1)A - alpha tanh((r-1)A / alpha))`
/// - `A < 0`:  `f = ReLU(log(r) A - beta tanh(log(r) A / beta))`
///
/// With `z` the inner product, `d/dz [z - c tanh(z/c)] = tanh^2(z/c)`, so
/// `df/dr = A tanh^2(z/alpha)` for `A >= 0, r > 1` and `(A/r) tanh^2(z/beta)` for
/// `A < 0, r < 1`, and 0 elsewhere. `dObj/dr = A - df/dr` turns positive for small `r`
/// when `A < 0`: the paper's "rollback".
public struct DPODrift: Drift, Equatable {
    /// Scale of the positive-advantage branch (paper: 2).
    public var alpha: Float
    /// Scale of the negative-advantage branch (paper: 0.6).
    public var beta: Float

    public init(alpha: Float = 2, beta: Float = 0.6) {
        precondition(alpha > 0 && beta > 0, "DPO alpha and beta must be positive, got \(alpha), \(beta)")
        self.alpha = alpha
        self.beta = beta
    }

    public var kind: DriftKind { .dpo }
    public var summary: String { "dpo(alpha=\(alpha), beta=\(beta))" }

    public func evaluate(ratio r: Float, advantage a: Float, progress: Float) -> (f: Float, dfdr: Float) {
        let scale: Float, z: Float, dzdr: Float
        if a >= 0 {
            scale = alpha; z = (r - 1) * a; dzdr = a
        } else {
            scale = beta; z = log(r) * a; dzdr = a / r
        }
        // z - c tanh(z/c) >= 0 exactly when z >= 0, so the ReLU is active iff z > 0.
        guard z > 0 else { return (0, 0) }
        let t = tanh(z / scale)
        return (max(0, z - scale * t), t * t * dzdr)
    }
}

extension DPODrift: RegisteredDrift {
    public static var kinds: [DriftKind] { [.dpo] }

    /// `dpo` or `dpo:alpha=1.5,beta=0.8`.
    public static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> DPODrift {
        let alpha = try options.number("alpha", default: 2, where: { $0 > 0 }, "a positive number")
        let beta = try options.number("beta", default: 0.6, where: { $0 > 0 }, "a positive number")
        return DPODrift(alpha: alpha, beta: beta)
    }

    /// The scales as attributes `alpha` and `beta`.
    public func write(into group: HDF5Group) throws {
        try group.setAttribute("alpha", alpha.decimalDouble)
        try group.setAttribute("beta", beta.decimalDouble)
    }

    public static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> DPODrift {
        DPODrift(alpha: try positiveAttribute("alpha", of: group, path: path), beta: try positiveAttribute("beta", of: group, path: path))
    }
}

extension DriftSpec {
    /// The spec of DPO's drift with scales `alpha` and `beta`.
    public static func dpo(alpha: Float, beta: Float) -> DriftSpec {
        .registered(.dpo, [.init(key: "alpha", value: "\(alpha)"), .init(key: "beta", value: "\(beta)")])
    }
}
