import Foundation

/// The families of drift DriftLab knows. The raw value is the `kind` attribute of a drift file.
public enum DriftKind: String, Sendable, CaseIterable, Codable {
    /// PPO's clipping drift `ReLU((r - clip(r, 1-eps, 1+eps)) A)`.
    case ppo
    /// Discovered Policy Optimisation's closed form (Lu et al. 2022, eq. 6), not Direct
    /// Preference Optimization.
    case dpo
    /// Learned Policy Optimisation: a PPO-initialised 8-128-1 tanh network plus PPO's drift.
    case lpo
    /// LPO learned from scratch: 8-256-256-1 ReLU network, no PPO term.
    case lpoZero = "lpo-zero"
    /// Temporally-aware LPO (Jackson et al., ICLR 2024): features `[x, (n/N) x]`.
    case temporallyAwareLPO = "ta-lpo"
}

/// A Mirror-Learning drift `f(r, A)` with its exact derivative `df/dr`.
///
/// Every algorithm in DriftLab maximises the mirror objective `mean(r A - f(r, A))`, so
/// `dObj/dr = A - df/dr` per sample is what both the policy gradient and the paper's
/// derivative maps (Figures 1, 2, 3, 5) need. Built-in and learned drifts go through this
/// one protocol, in training and in analysis alike.
public protocol Drift: Sendable {
    /// Which family this drift belongs to.
    var kind: DriftKind { get }
    /// A one-line human-readable description (e.g. `dpo(alpha=2, beta=0.6)`).
    var summary: String { get }
    /// Whether `f` depends on the fraction of training done (temporally-aware drifts).
    var usesProgress: Bool { get }

    /// Evaluates the drift on a batch.
    /// - Parameters:
    ///   - ratios: `r = pi_new(a|s) / pi_old(a|s)`, `[n]`, all positive.
    ///   - advantages: `A`, `[n]` (normalised per minibatch in training).
    ///   - progress: fraction of training done, `n/N` in [0, 1]; ignored unless `usesProgress`.
    ///   - drift: receives `f(r, A)`, `[n]`.
    ///   - derivative: receives `df/dr`, `[n]`.
    func evaluate(ratios: UnsafeBufferPointer<Float>, advantages: UnsafeBufferPointer<Float>, progress: Float,
                  drift: UnsafeMutableBufferPointer<Float>, derivative: UnsafeMutableBufferPointer<Float>)
}

/// `f` and `df/dr` for a batch, as arrays.
public struct DriftValues: Sendable, Equatable {
    public var drift: [Float]
    public var derivative: [Float]
}

extension Drift {
    public var usesProgress: Bool { false }

    /// Evaluates the drift on arrays (allocating the outputs).
    public func evaluate(ratios: [Float], advantages: [Float], progress: Float = 0) -> DriftValues {
        precondition(ratios.count == advantages.count, "ratios and advantages differ in length")
        var values = DriftValues(drift: [Float](repeating: 0, count: ratios.count),
                                 derivative: [Float](repeating: 0, count: ratios.count))
        ratios.withUnsafeBufferPointer { r in
            advantages.withUnsafeBufferPointer { a in
                values.drift.withUnsafeMutableBufferPointer { f in
                    values.derivative.withUnsafeMutableBufferPointer { d in
                        evaluate(ratios: r, advantages: a, progress: progress, drift: f, derivative: d)
                    }
                }
            }
        }
        return values
    }

    /// `f(r, A)` at one point.
    public func value(ratio: Float, advantage: Float, progress: Float = 0) -> Float {
        evaluate(ratios: [ratio], advantages: [advantage], progress: progress).drift[0]
    }

    /// `df/dr` at one point.
    public func derivative(ratio: Float, advantage: Float, progress: Float = 0) -> Float {
        evaluate(ratios: [ratio], advantages: [advantage], progress: progress).derivative[0]
    }

    /// The ratio derivative of the mirror objective, `dObj/dr = A - df/dr`, at one point.
    public func objectiveDerivative(ratio: Float, advantage: Float, progress: Float = 0) -> Float {
        advantage - derivative(ratio: ratio, advantage: advantage, progress: progress)
    }
}
