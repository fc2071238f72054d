import Environments
import Tensors

/// The rules of one MuJoCo task: how an episode starts, what the agent observes and earns, and
/// when the episode ends. Physics, frame skip, action clipping, observation caching, the
/// episode limit and auto-reset are the same for every task and live in `MuJoCoEnvironment`
/// and `VectorEnvironment`; a task is only what differs (ENVIRONMENTS.md's table row).
///
/// A task value holds the indices it resolved in the model and any per-episode state of its
/// own (a target's position, say); it is `Codable` so checkpoints restore it exactly.
public protocol MuJoCoTask: Sendable, Codable {
    /// What `reward` compares the new state with, measured before the physics steps
    /// (a torso position, say, whose change over `dt` is the velocity rewarded).
    /// The environment keeps the value measured after the previous step (the same state the
    /// next step starts from) so that snapshots restore it exactly: MuJoCo's derived
    /// quantities lag the integrated state by one physics step and a forward pass on restore
    /// would not reproduce them.
    associatedtype Measurement: Codable & Sendable = NoMeasurement

    /// Catalog name (`ant`, `halfcheetah`, ...).
    static var name: String { get }
    /// Model file stem: `Models/<modelName>.xml`.
    static var modelName: String { get }
    /// Physics steps per environment step.
    static var frameSkip: Int { get }
    /// Steps after which an episode is truncated.
    static var maxEpisodeSteps: Int { get }
    /// Floats per observation.
    static var observationSize: Int { get }
    /// Action dimension (the model's actuator count).
    static var actionDimension: Int { get }
    /// Actions are clipped to `[-actionLimit, actionLimit]`, every actuator's ctrlrange.
    static var actionLimit: Double { get }
    /// Whether the observation or reward reads `cfrc_ext` (costs one `mj_rnePostConstraint`
    /// per environment step).
    static var needsContactForces: Bool { get }
    /// How `driftlab env show` looks at the task (default: an oblique view, 4 m across).
    static var camera: MuJoCoCamera { get }

    /// Resolves the bodies and joints the task reads; throws `MuJoCoError.modelMismatch` when
    /// the model lacks one or has other dimensions.
    init(model: MuJoCoModel) throws
    /// Starts an episode. `simulation` has just been reset to `qpos0` and zero velocity: add
    /// the reset noise and place targets. A forward pass follows.
    mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream)
    /// The quantity `reward` needs from before the step.
    func measure(_ simulation: MuJoCoSimulation) -> Measurement
    /// Reward and termination after the physics steps; `control` is the clipped action as
    /// written to `ctrl`, `dt` the environment step's duration (frame skip x timestep).
    mutating func reward(_ simulation: MuJoCoSimulation, before: Measurement, control: UnsafeBufferPointer<Double>,
                         dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool)
    /// Writes the observation (`observationSize` floats, every one written).
    func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>)
}

/// The measurement of tasks whose reward needs nothing from before the step.
public struct NoMeasurement: Codable, Sendable {
    public init() {}
}

extension MuJoCoTask where Measurement == NoMeasurement {
    public func measure(_ simulation: MuJoCoSimulation) -> NoMeasurement { NoMeasurement() }
}

extension MuJoCoTask {
    /// The action space the task declares (its model is checked against it on load).
    public static var actionSpace: ActionSpace {
        .continuous(dim: actionDimension, low: Float(-actionLimit), high: Float(actionLimit))
    }

    /// Environment step duration in seconds for `model`.
    public static func stepDuration(_ model: MuJoCoModel) -> Double { Double(frameSkip) * model.timestep }
}

/// Reset noise and observation helpers shared by the tasks.
enum TaskMath {
    /// Adds uniform noise in `[-scale, scale]` to every element.
    static func addUniformNoise(_ values: UnsafeMutableBufferPointer<Double>, scale: Double, rng: inout RandomStream) {
        for i in values.indices { values[i] += rng.uniformDouble() * 2 * scale - scale }
    }
    /// Adds `scale * N(0, 1)` noise to every element.
    static func addNormalNoise(_ values: UnsafeMutableBufferPointer<Double>, scale: Double, rng: inout RandomStream) {
        for i in values.indices { values[i] += scale * rng.normal() }
    }
    /// Sum of squares.
    static func squaredNorm(_ values: UnsafeBufferPointer<Double>) -> Double {
        values.reduce(0) { $0 + $1 * $1 }
    }
}

/// Writes observation parts in order into a buffer, tracking the position, so each task's
/// `writeObservation` reads as its table row: `qpos[2:] + qvel + clip(cfrc_ext[1:])`.
struct ObservationWriter {
    let buffer: UnsafeMutableBufferPointer<Float>
    private(set) var position = 0

    init(_ buffer: UnsafeMutableBufferPointer<Float>) { self.buffer = buffer }

    /// Appends `values[range]`, optionally clipped to `[-limit, limit]`.
    mutating func append(_ values: UnsafeMutableBufferPointer<Double>, from start: Int = 0, clip limit: Double? = nil) {
        for i in start..<values.count {
            let v = values[i]
            buffer[position] = Float(limit.map { min(max(v, -$0), $0) } ?? v)
            position += 1
        }
    }

    /// Appends scalars.
    mutating func append(_ values: Double...) {
        for v in values {
            buffer[position] = Float(v)
            position += 1
        }
    }

    /// Checks that exactly the whole buffer was written.
    func finish() {
        precondition(position == buffer.count, "observation wrote \(position) of \(buffer.count) values")
    }
}
