import CKernels
import Foundation
import Tensors

/// The Adam optimiser (Kingma & Ba 2015) on flat parameter and gradient vectors, with
/// bias-corrected moments and `epsilon` added outside the square root (as optax and PyTorch):
/// `p -= lr * mHat / (sqrt(vHat) + epsilon)`.
///
/// The whole state (hyperparameters, moments, step count) is `Codable`, so a checkpoint
/// resumes the exact update sequence. The paper's PPO presets use `epsilon = 1e-5`. (The ES
/// meta-optimiser, `OpenAIES`, steps its mean with its own double-precision Adam over the
/// moments kept in `ESState`, with `beta1 = 0.99`.)
public struct Adam: Sendable, Equatable, Codable {
    /// Step size; mutable so schedules (annealing, decay) can change it between steps.
    public var learningRate: Float
    /// Decay of the first-moment (mean) estimate.
    public var beta1: Float
    /// Decay of the second-moment (uncentred variance) estimate.
    public var beta2: Float
    /// Added to `sqrt(vHat)` to bound the step where gradients are tiny.
    public var epsilon: Float
    /// First-moment estimate, one entry per parameter.
    public private(set) var firstMoment: [Float]
    /// Second-moment estimate, one entry per parameter.
    public private(set) var secondMoment: [Float]
    /// Number of updates applied so far.
    public private(set) var step: Int

    /// A fresh optimiser for `parameterCount` parameters.
    public init(parameterCount: Int, learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        precondition(parameterCount >= 0, "Adam needs a non-negative parameter count")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.firstMoment = [Float](repeating: 0, count: parameterCount)
        self.secondMoment = [Float](repeating: 0, count: parameterCount)
        self.step = 0
    }

    /// Number of parameters this optimiser updates.
    public var parameterCount: Int { firstMoment.count }

    /// Applies one Adam update to `parameters` given `gradient` (both of `parameterCount` elements).
    /// On AVX-512 CPUs sixteen parameters at a time (`driftlab_adam_avx512`), each lane with
    /// the operations below in their order: bit-identical.
    public mutating func update(_ parameters: inout [Float], gradient: [Float]) {
        update(parameters: &parameters, gradient: gradient, wide: BLAS.ownKernelAvailable)
    }

    /// `update`, on the AVX-512 kernel or (`wide: false`) eight lanes at a time on any CPU.
    mutating func update(parameters: inout [Float], gradient: [Float], wide: Bool) {
        precondition(parameters.count == parameterCount && gradient.count == parameterCount,
                     "Adam for \(parameterCount) parameters got \(parameters.count) parameters and \(gradient.count) gradients")
        step += 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        // Fold the bias corrections into the step size and epsilon:
        // lr * (m / c1) / (sqrt(v / c2) + eps) = (lr sqrt(c2) / c1) * m / (sqrt(v) + eps sqrt(c2)).
        let c1 = 1 - Foundation.pow(Double(b1), Double(step))
        let c2 = 1 - Foundation.pow(Double(b2), Double(step))
        let stepSize = Float(Double(learningRate) * c2.squareRoot() / c1)
        let scaledEpsilon = Float(Double(eps) * c2.squareRoot())
        let n = parameterCount
        if wide {
            parameters.withUnsafeMutableBufferPointer { p in
                gradient.withUnsafeBufferPointer { g in
                    firstMoment.withUnsafeMutableBufferPointer { m in
                        secondMoment.withUnsafeMutableBufferPointer { v in
                            driftlab_adam_avx512(p.baseAddress, g.baseAddress, m.baseAddress, v.baseAddress, n, b1, 1 - b1, b2,
                                                 1 - b2, stepSize, scaledEpsilon)
                        }
                    }
                }
            }
            return
        }
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        // Eight parameters at a time: every lane does the scalar loop's
                        // correctly rounded operations, so the result is the same bit for bit.
                        let pr = UnsafeMutableRawPointer(p.baseAddress!), gr = UnsafeRawPointer(g.baseAddress!)
                        let mr = UnsafeMutableRawPointer(m.baseAddress!), vr = UnsafeMutableRawPointer(v.baseAddress!)
                        let vb1 = SIMD8<Float>(repeating: b1), vb2 = SIMD8<Float>(repeating: b2)
                        let va1 = SIMD8<Float>(repeating: 1 - b1), va2 = SIMD8<Float>(repeating: 1 - b2)
                        let vStep = SIMD8<Float>(repeating: stepSize), vEps = SIMD8<Float>(repeating: scaledEpsilon)
                        var i = 0
                        while i &+ 8 <= n {
                            let o = i &* 4
                            let gi = gr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                            let mi = vb1 * mr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + va1 * gi
                            let vi = vb2 * vr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self) + va2 * gi * gi
                            mr.storeBytes(of: mi, toByteOffset: o, as: SIMD8<Float>.self)
                            vr.storeBytes(of: vi, toByteOffset: o, as: SIMD8<Float>.self)
                            let pi = pr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                                - vStep * mi / (vi.squareRoot() + vEps)
                            pr.storeBytes(of: pi, toByteOffset: o, as: SIMD8<Float>.self)
                            i &+= 8
                        }
                        while i < n {
                            let gi = g[i]
                            let mi = b1 * m[i] + (1 - b1) * gi
                            let vi = b2 * v[i] + (1 - b2) * gi * gi
                            m[i] = mi
                            v[i] = vi
                            p[i] -= stepSize * mi / (vi.squareRoot() + scaledEpsilon)
                            i &+= 1
                        }
                    }
                }
            }
        }
    }

    /// Clears the moments and step count (hyperparameters are kept).
    public mutating func reset() {
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = firstMoment
        step = 0
    }

    private enum CodingKeys: String, CodingKey {
        case learningRate, beta1, beta2, epsilon, firstMoment, secondMoment, step
    }

    /// Decodes a checkpointed state, rejecting moments of different lengths or a negative step.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        learningRate = try c.decode(Float.self, forKey: .learningRate)
        beta1 = try c.decode(Float.self, forKey: .beta1)
        beta2 = try c.decode(Float.self, forKey: .beta2)
        epsilon = try c.decode(Float.self, forKey: .epsilon)
        firstMoment = try c.decode([Float].self, forKey: .firstMoment)
        secondMoment = try c.decode([Float].self, forKey: .secondMoment)
        step = try c.decode(Int.self, forKey: .step)
        guard firstMoment.count == secondMoment.count else {
            throw DecodingError.dataCorruptedError(forKey: .secondMoment, in: c, debugDescription:
                "Adam state has \(firstMoment.count) first moments but \(secondMoment.count) second moments")
        }
        guard step >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .step, in: c, debugDescription: "Adam step count \(step) is negative")
        }
    }
}
