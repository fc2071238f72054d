/// Elementwise activation functions with forward and backward passes on raw buffers.
///
/// NaN inputs give NaN outputs, so a diverging network shows up in its outputs.
///
/// `tanh` and `swish` use `FastMath` (vectorised, ~1e-7 absolute error) rather than glibc,
/// which is ~20x slower per element. Swish is `x * sigmoid(x)` (Brax's default for PPO).
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// `f(x) = x`.
    case identity
    /// `f(x) = tanh(x)`.
    case tanh
    /// `f(x) = max(x, 0)`.
    case relu
    /// `f(x) = x * sigmoid(x)` (also called SiLU).
    case swish

    /// `y[i] = f(x[i])` for `count` elements; `x` and `y` may be the same buffer.
    ///
    /// The loops go eight lanes at a time by hand: the optimiser does not vectorise loops over
    /// buffers that may alias. Each lane does the scalar operations, so the results are
    /// bit-identical to the scalar loop that finishes the tail.
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        switch self {
        case .identity:
            if UnsafePointer(y) != x { y.update(from: x, count: count) }
        case .tanh:
            FastMath.tanh(x, y, count: count)
        case .relu:
            while i &+ 8 <= count {
                var v = FastMath.load(x, i)
                v.replace(with: 0, where: v .< 0) // NaN propagates (it is not < 0)
                FastMath.store(v, y, i)
                i &+= 8
            }
            while i < count { let v = x[i]; y[i] = v < 0 ? 0 : v; i &+= 1 }
        case .swish:
            while i &+ 8 <= count {
                let v = FastMath.load(x, i)
                FastMath.store(v * FastMath.sigmoid(v), y, i)
                i &+= 8
            }
            while i < count { let v = x[i]; y[i] = v * FastMath.sigmoid(v); i &+= 1 }
        }
    }

    /// Backward pass: `dx[i] = dy[i] * f'(x[i])`, given the pre-activation `x` and the output
    /// `y = f(x)` of the forward pass (tanh uses `y`, relu and swish use `x`).
    /// `dx` may be the same buffer as `dy`. Eight lanes at a time, as `forward`.
    public func backward(preactivation x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         outputGradient dy: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>,
                         count: Int) {
        var i = 0
        switch self {
        case .identity:
            if UnsafePointer(dx) != dy { dx.update(from: dy, count: count) }
        case .tanh:
            while i &+ 8 <= count {
                let t = FastMath.load(y, i)
                FastMath.store(FastMath.load(dy, i) * (1 - t * t), dx, i)
                i &+= 8
            }
            while i < count { let t = y[i]; dx[i] = dy[i] * (1 - t * t); i &+= 1 }
        case .relu:
            while i &+ 8 <= count {
                var g = FastMath.load(dy, i)
                g.replace(with: 0, where: .!(FastMath.load(x, i) .> 0))
                FastMath.store(g, dx, i)
                i &+= 8
            }
            while i < count { dx[i] = x[i] > 0 ? dy[i] : 0; i &+= 1 }
        case .swish:
            // d/dx [x s(x)] = s + x s (1 - s) = s + y (1 - s), with s recomputed (cheaper than storing it).
            while i &+ 8 <= count {
                let s = FastMath.sigmoid(FastMath.load(x, i))
                FastMath.store(FastMath.load(dy, i) * (s + FastMath.load(y, i) * (1 - s)), dx, i)
                i &+= 8
            }
            while i < count {
                let s = FastMath.sigmoid(x[i])
                dx[i] = dy[i] * (s + y[i] * (1 - s))
                i &+= 1
            }
        }
    }

    /// `f` applied to every element of an array.
    public func forward(_ x: [Float]) -> [Float] {
        var y = x
        y.withUnsafeMutableBufferPointer { p in
            if let base = p.baseAddress { forward(base, base, count: p.count) }
        }
        return y
    }

    /// `dy * f'(x)` for arrays of pre-activations `x` and upstream gradients `dy` (same length).
    public func backward(preactivation x: [Float], outputGradient dy: [Float]) -> [Float] {
        precondition(x.count == dy.count, "activation backward: \(x.count) inputs but \(dy.count) gradients")
        let y = forward(x)
        var dx = dy
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                dx.withUnsafeMutableBufferPointer { pdx in
                    guard let base = pdx.baseAddress else { return }
                    backward(preactivation: px.baseAddress!, output: py.baseAddress!,
                             outputGradient: UnsafePointer(base), inputGradient: base, count: x.count)
                }
            }
        }
        return dx
    }
}
