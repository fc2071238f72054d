import Foundation

/// The name of a family of drifts: the `kind` attribute of a drift file and the word before
/// the `:` of a drift spec. Open: a drift defined in another package names its own kind
/// (`DriftKind("my-drift")`) and registers it with `DriftRegistry`.
public struct DriftKind: RawRepresentable, Hashable, Comparable, Sendable, Codable, ExpressibleByStringLiteral,
                         CustomStringConvertible {
    public let rawValue: String

    /// A kind named `name`.
    public init(_ name: String) { rawValue = name }
    /// A kind named `rawValue`; nil for the empty string, which names nothing.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty else { return nil }
        self.rawValue = rawValue
    }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }
    public static func < (a: DriftKind, b: DriftKind) -> Bool { a.rawValue < b.rawValue }

    /// PPO's clipping drift `ReLU((r - clip(r, 1-eps, 1+eps)) A)`.
    public static let ppo: DriftKind = "ppo"
    /// Discovered Policy Optimisation's closed form (Lu et al. 2022, eq. 6), not Direct
    /// Preference Optimization.
    public static let dpo: DriftKind = "dpo"
    /// Learned Policy Optimisation: a PPO-initialised 8-128-1 tanh network plus PPO's drift.
    public static let lpo: DriftKind = "lpo"
    /// LPO learned from scratch: 8-256-256-1 ReLU network, no PPO term.
    public static let lpoZero: DriftKind = "lpo-zero"
    /// Temporally-aware LPO (Jackson et al., ICLR 2024): features `[x, (n/N) x]`.
    public static let temporallyAwareLPO: DriftKind = "ta-lpo"
}

/// A Mirror-Learning drift `f(r, A)` with its exact derivative `df/dr`.
///
/// Every algorithm in DriftLab maximises the mirror objective `mean(r A - f(r, A))`, so
/// `dObj/dr = A - df/dr` per sample is what both the policy gradient and the paper's
/// derivative maps (Figures 1, 2, 3, 5) need. Built-in and learned drifts go through this
/// one protocol, in training and in analysis alike.
///
/// A new drift writes `kind`, `summary` and the per-sample `evaluate(ratio:advantage:progress:)`;
/// the batched `evaluate(ratios:...)` loops over it unless the drift overrides it (as
/// `NetworkDrift` does, for BLAS). To be named in specs and stored in files it also conforms
/// to `RegisteredDrift` (docs/EXTENDING.md).
public protocol Drift: Sendable {
    /// Which family this drift belongs to.
    var kind: DriftKind { get }
    /// A one-line human-readable description (e.g. `dpo(alpha=2, beta=0.6)`).
    var summary: String { get }
    /// Whether `f` depends on the fraction of training done (temporally-aware drifts).
    var usesProgress: Bool { get }

    /// `f(r, A)` and `df/dr` at one sample.
    /// - Parameters:
    ///   - ratio: `r = pi_new(a|s) / pi_old(a|s)`, positive.
    ///   - advantage: `A` (normalised per minibatch in training).
    ///   - progress: fraction of training done, `n/N` in [0, 1]; ignored unless `usesProgress`.
    func evaluate(ratio: Float, advantage: Float, progress: Float) -> (f: Float, dfdr: Float)

    /// Evaluates the drift on a batch (default: the per-sample `evaluate` in a loop).
    /// - Parameters:
    ///   - ratios: `r`, `[n]`, all positive.
    ///   - advantages: `A`, `[n]`.
    ///   - progress: fraction of training done; ignored unless `usesProgress`.
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

    /// The per-sample `evaluate` over the batch. Inlinable, so a drift in another module gets a
    /// loop specialised for its own type.
    @inlinable
    public func evaluate(ratios: UnsafeBufferPointer<Float>, advantages: UnsafeBufferPointer<Float>, progress: Float,
                         drift: UnsafeMutableBufferPointer<Float>, derivative: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<ratios.count {
            let (f, d) = evaluate(ratio: ratios[i], advantage: advantages[i], progress: progress)
            drift[i] = f
            derivative[i] = d
        }
    }

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
        evaluate(ratio: ratio, advantage: advantage, progress: progress).f
    }

    /// `df/dr` at one point.
    public func derivative(ratio: Float, advantage: Float, progress: Float = 0) -> Float {
        evaluate(ratio: ratio, advantage: advantage, progress: progress).dfdr
    }

    /// The ratio derivative of the mirror objective, `dObj/dr = A - df/dr`, at one point.
    public func objectiveDerivative(ratio: Float, advantage: Float, progress: Float = 0) -> Float {
        advantage - derivative(ratio: ratio, advantage: advantage, progress: progress)
    }
}
