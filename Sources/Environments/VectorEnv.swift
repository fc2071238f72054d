import Foundation

/// One finished episode of one environment in a `VectorEnv`.
public struct EpisodeStatistics: Sendable, Equatable, Codable {
    /// Which environment of the batch finished.
    public var environment: Int
    /// Undiscounted sum of rewards.
    public var episodeReturn: Double
    /// Number of steps.
    public var length: Int
    /// True when the episode was cut by the step limit rather than ended by the task.
    public var truncated: Bool

    public init(environment: Int, episodeReturn: Double, length: Int, truncated: Bool) {
        self.environment = environment
        self.episodeReturn = episodeReturn
        self.length = length
        self.truncated = truncated
    }
}

/// A batch of `count` environments of one type stepped together, with automatic reset,
/// the episode step limit (reported as truncation, separately from termination), episode
/// statistics and one random stream per environment. Type-erased so the trainer can hold
/// any task; the concrete type is `VectorEnvironment<E>`. Cast to `DiscreteVectorEnv` or
/// `ContinuousVectorEnv` (as `actionSpace` says) to step, and to `GridVectorEnv` for the
/// sparse observations of MinAtar.
///
/// The buffers (`observations`, `rewards`, ...) are owned by the object and overwritten by
/// every `step` and `reset`; copy what must outlive the next call.
public protocol VectorEnv: AnyObject {
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

/// A `VectorEnv` with discrete actions.
public protocol DiscreteVectorEnv: VectorEnv {
    /// Steps every environment; `actions` is `[N]`, each in `0..<count` of `actionSpace`.
    func step(actions: UnsafeBufferPointer<Int32>)
}

/// A `VectorEnv` with continuous actions.
public protocol ContinuousVectorEnv: VectorEnv {
    /// Steps every environment; `actions` is `[N, dim]` row-major.
    func step(actions: UnsafeBufferPointer<Float>)
}

/// A `VectorEnv` whose observations are sparse binary grids (MinAtar).
public protocol GridVectorEnv: VectorEnv {
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

extension DiscreteVectorEnv {
    /// Steps every environment with `actions` `[N]`.
    public func step(actions: [Int32]) {
        actions.withUnsafeBufferPointer { step(actions: $0) }
    }
}

extension ContinuousVectorEnv {
    /// Steps every environment with `actions` `[N, dim]`.
    public func step(actions: [Float]) {
        actions.withUnsafeBufferPointer { step(actions: $0) }
    }
}
