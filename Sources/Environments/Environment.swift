import Tensors

/// One environment instance with scalar state. Value type, `Codable` so that a training
/// checkpoint can store every environment exactly and resume bit-identically; all of its
/// randomness comes from the stream it is handed, never from its own generator.
///
/// The vectorised wrapper (`VectorEnvironment`) owns episode limits (truncation), auto-reset,
/// episode statistics and the per-environment random streams; an `Environment` only knows
/// its own rules.
public protocol Environment: Sendable, Codable {
    /// The action type: `Int` for discrete environments, `UnsafeBufferPointer<Float>` (one row
    /// of the action batch, `dim` floats, valid only during `step`) for continuous ones. Both
    /// conform to `BatchedAction`, which `VectorEnvironment` requires.
    associatedtype Action
    /// Shape of one observation (MinAtar: `[10, 10, C]`, row y, column x, channel).
    var observationShape: [Int] { get }
    var actionSpace: ActionSpace { get }
    /// Starts a new episode.
    mutating func reset(rng: inout RandomStream)
    /// Advances one step; `terminated` is true when the episode ended by the task's rules
    /// (not by a time limit, which the wrapper reports as truncation).
    mutating func step(_ action: Action, rng: inout RandomStream) -> (reward: Float, terminated: Bool)
    /// Writes the current observation, flattened in `observationShape` order, into `buffer`
    /// (exactly `observationShape.reduce(1, *)` elements; every element is written).
    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>)
}

extension Environment {
    /// Number of floats in one flattened observation.
    public var observationSize: Int { observationShape.reduce(1, *) }
}
