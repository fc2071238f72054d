import Foundation
import Tensors

/// A batch of tanh-squashed diagonal Normal distributions, as Brax's PPO uses for continuous
/// actions (the paper's MuJoCo experiments).
///
/// The policy network outputs `[batch, 2 * d]`: columns `0..<d` are the location, columns
/// `d..<2d` the raw scale, and `scale = softplus(raw) + 0.001`. An action is `tanh(u)` with
/// `u ~ N(loc, scale)`. Log-probabilities are of a stored pre-tanh sample `u` and include the
/// tanh change of variables, `log|d tanh/du| = log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u))`
/// (stable for large `|u|`); it does not depend on the parameters, so it cancels in PPO's ratio.
/// Per-dimension terms are summed in Double.
public struct TanhNormalDistribution: Sendable {
    /// Smallest standard deviation, added to the softplus (Brax's `min_std`).
    public static let minimumScale: Float = 0.001

    /// Normal location `[batch, d]`.
    public let location: Matrix
    /// Raw (pre-softplus) scale `[batch, d]`.
    public let rawScale: Matrix
    /// Normal standard deviation `softplus(rawScale) + minimumScale`, `[batch, d]`.
    public let scale: Matrix

    /// Number of distributions (rows).
    public var batch: Int { location.rows }
    /// Action dimension `d`.
    public var actionSize: Int { location.cols }

    /// Distributions from network outputs `[batch, 2 * d]` laid out as `(loc, raw_scale)`.
    public init(parameters: Matrix) {
        precondition(parameters.cols > 0 && parameters.cols % 2 == 0,
                     "tanh-Normal parameters need an even number of columns (loc, raw scale), got \(parameters.cols)")
        let d = parameters.cols / 2
        var loc = Matrix(rows: parameters.rows, cols: d)
        var raw = loc, scale = loc
        for b in 0..<parameters.rows {
            for i in 0..<d {
                loc[b, i] = parameters[b, i]
                raw[b, i] = parameters[b, d + i]
                scale[b, i] = Float(Self.softplus(Double(raw[b, i]))) + Self.minimumScale
            }
        }
        self.location = loc
        self.rawScale = raw
        self.scale = scale
    }

    /// `log(1 + exp(x))` without overflow.
    public static func softplus(_ x: Double) -> Double {
        max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
    }

    /// `log(1 - tanh(u)^2)`, the log-determinant of the tanh Jacobian, computed stably as
    /// `2 (log 2 - u - softplus(-2u))`.
    public static func logDetJacobian(_ u: Double) -> Double {
        2 * (Foundation.log(2.0) - u - softplus(-2 * u))
    }

    // MARK: Sampling

    /// Standard-normal noise `[batch, d]` for `preTanh(noise:)` and `entropy(noise:)`.
    public func sampleNoise(rng: inout RandomStream) -> Matrix {
        var noise = Matrix(rows: batch, cols: actionSize)
        rng.fillNormal(&noise.storage)
        return noise
    }

    /// The reparameterised pre-tanh sample `u = loc + scale * noise`, `[batch, d]`.
    public func preTanh(noise: Matrix) -> Matrix {
        checkShape(noise, "noise")
        var u = noise
        for k in u.storage.indices { u.storage[k] = location.storage[k] + scale.storage[k] * noise.storage[k] }
        return u
    }

    /// Samples `u ~ N(loc, scale)` and returns it with the action `tanh(u)` (both `[batch, d]`).
    /// Keep `preTanh` for `logProbability(ofPreTanh:)`: inverting tanh near ±1 is ill-conditioned.
    public func sample(rng: inout RandomStream) -> (preTanh: Matrix, action: Matrix) {
        let u = preTanh(noise: sampleNoise(rng: &rng))
        return (u, Self.squash(u))
    }

    /// The deterministic action `tanh(loc)` (evaluation).
    public var mode: Matrix { Self.squash(location) }

    /// `tanh` of every element.
    public static func squash(_ u: Matrix) -> Matrix {
        var a = u
        for k in a.storage.indices { a.storage[k] = Foundation.tanh(a.storage[k]) }
        return a
    }

    // MARK: Log-probability

    private static let halfLogTwoPi = 0.5 * Foundation.log(2 * Double.pi)

    /// Log-density of the action `tanh(u)` for each row, given the pre-tanh sample `u: [batch, d]`:
    /// `sum_i [log N(u_i; loc_i, scale_i) - log(1 - tanh(u_i)^2)]`.
    public func logProbability(ofPreTanh u: Matrix) -> [Float] {
        checkShape(u, "pre-tanh sample")
        return (0..<batch).map { b in
            var total = 0.0
            for i in 0..<actionSize {
                let s = Double(scale[b, i])
                let z = (Double(u[b, i]) - Double(location[b, i])) / s
                total += -0.5 * z * z - Foundation.log(s) - Self.halfLogTwoPi - Self.logDetJacobian(Double(u[b, i]))
            }
            return Float(total)
        }
    }

    /// `d/d(loc, raw_scale) sum_b weights[b] * logProbability_b(u_b)` with `u` held fixed,
    /// `[batch, 2d]` in the network's output layout. Per dimension:
    /// `d/dloc = (u - loc) / scale^2`, `d/dscale = ((u - loc)^2 / scale^2 - 1) / scale`,
    /// `d/draw = d/dscale * sigmoid(raw)`.
    public func logProbabilityGradient(ofPreTanh u: Matrix, weights: [Float]) -> Matrix {
        checkShape(u, "pre-tanh sample")
        precondition(weights.count == batch, "\(weights.count) weights for a batch of \(batch)")
        let d = actionSize
        var g = Matrix(rows: batch, cols: 2 * d)
        for b in 0..<batch {
            let w = Double(weights[b])
            for i in 0..<d {
                let s = Double(scale[b, i])
                let diff = Double(u[b, i]) - Double(location[b, i])
                let dScale = (diff * diff / (s * s) - 1) / s
                g[b, i] = Float(w * diff / (s * s))
                g[b, d + i] = Float(w * dScale * Self.sigmoid(Double(rawScale[b, i])))
            }
        }
        return g
    }

    // MARK: Entropy

    /// Brax's entropy estimate for each row: the Normal's entropy plus the tanh log-det
    /// evaluated at the reparameterised sample `u = loc + scale * noise`:
    /// `sum_i [0.5 + 0.5 log(2 pi) + log scale_i + log(1 - tanh(u_i)^2)]`.
    public func entropy(noise: Matrix) -> [Float] {
        let u = preTanh(noise: noise)
        return (0..<batch).map { b in
            var total = 0.0
            for i in 0..<actionSize {
                total += 0.5 + Self.halfLogTwoPi + Foundation.log(Double(scale[b, i]))
                    + Self.logDetJacobian(Double(u[b, i]))
            }
            return Float(total)
        }
    }

    /// The entropy estimate at fresh noise drawn from `rng`.
    public func entropy(rng: inout RandomStream) -> [Float] {
        entropy(noise: sampleNoise(rng: &rng))
    }

    /// `d/d(loc, raw_scale) sum_b weights[b] * entropy_b(noise)`, `[batch, 2d]`, differentiating
    /// through the reparameterised sample (as Brax's autodiff does). With
    /// `d log(1 - tanh(u)^2)/du = -2 tanh(u)`: `d/dloc = -2 tanh(u)`,
    /// `d/dscale = 1/scale - 2 tanh(u) noise`, `d/draw = d/dscale * sigmoid(raw)`.
    public func entropyGradient(noise: Matrix, weights: [Float]) -> Matrix {
        precondition(weights.count == batch, "\(weights.count) weights for a batch of \(batch)")
        let u = preTanh(noise: noise)
        let d = actionSize
        var g = Matrix(rows: batch, cols: 2 * d)
        for b in 0..<batch {
            let w = Double(weights[b])
            for i in 0..<d {
                let slope = -2 * Foundation.tanh(Double(u[b, i]))
                let dScale = 1 / Double(scale[b, i]) + slope * Double(noise[b, i])
                g[b, i] = Float(w * slope)
                g[b, d + i] = Float(w * dScale * Self.sigmoid(Double(rawScale[b, i])))
            }
        }
        return g
    }

    private static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    private func checkShape(_ m: Matrix, _ what: String) {
        precondition(m.rows == batch && m.cols == actionSize,
                     "\(what) is [\(m.rows), \(m.cols)], needs [\(batch), \(actionSize)]")
    }
}
