import Foundation

/// A batch of `count` environments of one type stepped together, with automatic reset,
/// the episode step limit (reported as truncation, separately from termination), episode
/// statistics and one random stream per environment. Type-erased so the trainer can hold
/// any task; the concrete type is `VectorEnvironment<E>`. `step(_:)` takes the action batch
/// of either kind of task; `GridEnvironmentBatch` adds the sparse observations of MinAtar.
///
/// The buffers (`observations`, `rewards`, ...) are owned by the object and overwritten by
/// every `step` and `reset`; copy what must outlive the next call.
public protocol EnvironmentBatch: AnyObject {
    /// Lower-case task name (`breakout`, `cartpole`, ...).
    var name: String { get }
    /// Number of environments N.
    var count: Int { get }
    /// Shape of one observation.
    var observationShape: [Int] { get }
    /// Floats per observation.
    var observationSize: Int { get }
    var actionSpace: ActionSpace { get }
    /// Step limit after which an episode is truncated; `nil` for none.
    var maxEpisodeSteps: Int? { get }
    /// How many worker tasks a step may use (1 = serial on the calling thread).
    var parallelism: Int { get set }
    /// Total environment steps taken since construction (N per `step`), restored by snapshots.
    var totalSteps: Int { get }

    /// Current observations, `[N, observationSize]` row-major: after an episode ends the row
    /// already holds the next episode's first observation.
    var observations: UnsafeBufferPointer<Float> { get }
    /// Rewards of the last step, `[N]`.
    var rewards: UnsafeBufferPointer<Float> { get }
    /// `[N]`: the episode ended by the task's rules at the last step.
    var terminated: UnsafeBufferPointer<Bool> { get }
    /// `[N]`: the episode was cut by `maxEpisodeSteps` at the last step (never together with
    /// `terminated`). GAE bootstraps from `finalObservations` here.
    var truncated: UnsafeBufferPointer<Bool> { get }
    /// `[N, observationSize]`: for every environment whose episode ended at the last step,
    /// its observation before the automatic reset. Other rows hold stale values.
    var finalObservations: UnsafeBufferPointer<Float> { get }

    /// Steps every environment with its action: `.discrete` `[N]` for discrete tasks,
    /// `.continuous` `[N, dim]` for continuous ones (a mismatch with `actionSpace` is a
    /// programming error and traps).
    func step(_ actions: ActionBatch)
    /// Starts a new episode in every environment (streams continue; accumulators restart).
    func reset()
    /// Returns and forgets the episodes finished since the last call, in the order they ended.
    func drainEpisodes() -> [EpisodeStatistics]
    /// The whole state (environments, streams, counters, accumulators, undrained episodes)
    /// encoded as JSON, for checkpoints.
    func encodedSnapshot() throws -> Data
    /// Restores a state written by `encodedSnapshot` of a vector environment of the same
    /// type and count; stepping then continues bit-identically.
    func restore(encodedSnapshot data: Data) throws
}

/// An `EnvironmentBatch` with discrete actions, stepped without copying the actions.
public protocol DiscreteEnvironmentBatch: EnvironmentBatch {
    /// Steps every environment; `actions` is `[N]`, each in `0..<count` of `actionSpace`.
    func step(actions: UnsafeBufferPointer<Int32>)
}

/// An `EnvironmentBatch` with continuous actions, stepped without copying the actions.
public protocol ContinuousEnvironmentBatch: EnvironmentBatch {
    /// Steps every environment; `actions` is `[N, dim]` row-major.
    func step(actions: UnsafeBufferPointer<Float>)
}

/// An `EnvironmentBatch` whose observations are sparse binary grids (MinAtar).
public protocol GridEnvironmentBatch: EnvironmentBatch {
    /// Channel names, in observation order.
    var channelNames: [String] { get }
    /// Upper bound on active cells in one observation.
    var maximumActiveCells: Int { get }
    /// Writes the current observations in compressed-row form: the flat indices of
    /// environment i's set cells are `indices[rowOffsets[i] ..< rowOffsets[i + 1]]`.
    /// `rowOffsets` holds N + 1 entries; `indices` needs room for every active cell
    /// (`N * maximumActiveCells` always suffices). Returns the total number of indices.
    func writeSparseObservations(indices: UnsafeMutableBufferPointer<Int32>,
                                 rowOffsets: UnsafeMutableBufferPointer<Int32>) -> Int
    /// Environment `index`'s current frame as `[y][x]` lists of active channels.
    func frame(of index: Int) -> [[[Int]]]
}

extension DiscreteEnvironmentBatch {
    /// Steps every environment with `actions` `[N]`.
    public func step(actions: [Int32]) {
        actions.withUnsafeBufferPointer { step(actions: $0) }
    }
}

extension ContinuousEnvironmentBatch {
    /// Steps every environment with `actions` `[N, dim]`.
    public func step(actions: [Float]) {
        actions.withUnsafeBufferPointer { step(actions: $0) }
    }
}

/// One action for every environment of a batch, as `EnvironmentBatch.step(_:)` takes it.
public enum ActionBatch: Sendable, Equatable {
    /// `[N]` integers, each in `0..<count` of a discrete action space.
    case discrete([Int32])
    /// `[N, dim]` floats, row-major, within a continuous action space's bounds.
    case continuous([Float])
}
