import CMuJoCo
import Environments
import Foundation
import Tensors

/// One MuJoCo task instance: a simulation of the task's shared model plus the task's rules,
/// as an `Environment` so that `VectorEnvironment` batches it (auto-reset, truncation,
/// episode statistics, parallel chunks, snapshots) exactly as it does every other task.
///
/// An environment step writes the clipped action to `ctrl`, runs `frameSkip` physics steps
/// (then `mj_rnePostConstraint` where the task reads contact forces), and asks the task for
/// reward and termination. A simulation that diverges (MuJoCo reports a bad position,
/// velocity or acceleration and resets itself, or the state is not finite) ends the episode
/// as terminated in every task.
///
/// The observation is computed once after each step and kept in the value, so that a
/// snapshot restores it exactly (MuJoCo's derived quantities, such as body positions, lag the
/// integrated state by one physics step, so recomputing them on restore would not match).
/// The simulation is a reference: copies of this value share it, which `VectorEnvironment`
/// never does (it mutates environments in place).
public struct MuJoCoEnvironment<T: MuJoCoTask>: Environment {
    public typealias Action = UnsafeBufferPointer<Float>

    /// The task's rules and state.
    public private(set) var task: T
    /// The simulated world.
    public let simulation: MuJoCoSimulation
    private var observation: [Float]
    /// The task's measurement of the current state, taken when the state was reached.
    private var measurement: T.Measurement

    /// A fresh environment of `model` (default: the task's shipped model), reset once so that
    /// its observation is defined; `reset(rng:)` starts the first real episode.
    public init(model: MuJoCoModel? = nil) throws {
        let model = try model ?? MuJoCoModelLibrary.shared.model(named: T.modelName)
        let ranges = model.controlRanges
        guard ranges.count == T.actionDimension, ranges.allSatisfy({ $0 == (-T.actionLimit, T.actionLimit) }) else {
            throw MuJoCoError.modelMismatch(
                path: model.path,
                reason: "\(T.name) needs \(T.actionDimension) actuators with ctrlrange [\(-T.actionLimit), \(T.actionLimit)], "
                    + "the model has \(ranges.map { "[\($0.low), \($0.high)]" })")
        }
        task = try T(model: model)
        simulation = MuJoCoSimulation(model: model)
        observation = [Float](repeating: 0, count: T.observationSize)
        measurement = task.measure(simulation)
        simulation.forward()
        if T.needsContactForces { mj_rnePostConstraint(model.pointer, simulation.data) }
        measurement = task.measure(simulation)
        observe()
    }

    public var observationShape: [Int] { [T.observationSize] }
    public var actionSpace: ActionSpace { T.actionSpace }

    public mutating func reset(rng: inout RandomStream) {
        simulation.reset()
        task.reset(simulation, rng: &rng)
        simulation.forward()
        if T.needsContactForces { mj_rnePostConstraint(simulation.model.pointer, simulation.data) }
        measurement = task.measure(simulation)
        observe()
    }

    public mutating func step(_ action: UnsafeBufferPointer<Float>, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let before = measurement
        let ctrl = simulation.ctrl
        let limit = T.actionLimit
        for j in ctrl.indices { ctrl[j] = min(max(Double(action[j]), -limit), limit) }
        let warningsBefore = divergenceWarnings
        simulation.step(frames: T.frameSkip, contactForces: T.needsContactForces)
        defer {
            measurement = task.measure(simulation)
            observe()
        }
        if divergenceWarnings != warningsBefore || !simulation.isFinite { return (0, true) }
        return task.reward(simulation, before: before, control: UnsafeBufferPointer(ctrl),
                           dt: T.stepDuration(simulation.model), rng: &rng)
    }

    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        _ = buffer.update(fromContentsOf: observation)
    }

    private mutating func observe() {
        let simulation = self.simulation
        let task = self.task
        observation.withUnsafeMutableBufferPointer { task.writeObservation(simulation, into: $0) }
    }

    /// How often MuJoCo has found a bad qpos, qvel or qacc in this simulation (it resets
    /// the data when it does).
    private var divergenceWarnings: Int {
        withUnsafeBytes(of: simulation.data.pointee.warning) { raw in
            let stats = raw.bindMemory(to: mjWarningStat.self)
            return Int(stats[Int(mjWARN_BADQPOS.rawValue)].number) + Int(stats[Int(mjWARN_BADQVEL.rawValue)].number)
                + Int(stats[Int(mjWARN_BADQACC.rawValue)].number)
        }
    }

    // MARK: Codable: the task, the physics state, the cached observation and measurement.

    private enum CodingKeys: String, CodingKey { case model, task, physics, observation, measurement }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // A shipped model is saved by name, so a checkpoint resumes wherever the package's
        // models are; any other model by its path.
        let model = try container.decode(String.self, forKey: .model)
        try self.init(model: model.contains("/") ? try MuJoCoModelLibrary.shared.model(at: URL(fileURLWithPath: model))
                                                 : try MuJoCoModelLibrary.shared.model(named: model))
        task = try container.decode(T.self, forKey: .task)
        try simulation.restore(try container.decode(MuJoCoSimulation.State.self, forKey: .physics))
        let saved = try container.decode([Float].self, forKey: .observation)
        guard saved.count == T.observationSize else {
            throw MuJoCoError.stateMismatch("\(T.name) observation has \(saved.count) values, expected \(T.observationSize)")
        }
        observation = saved
        measurement = try container.decode(T.Measurement.self, forKey: .measurement)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let shipped = simulation.model.path == MuJoCoModelLibrary.url(ofModel: T.modelName).path
        try container.encode(shipped ? T.modelName : simulation.model.path, forKey: .model)
        try container.encode(task, forKey: .task)
        try container.encode(simulation.state, forKey: .physics)
        try container.encode(observation, forKey: .observation)
        try container.encode(measurement, forKey: .measurement)
    }
}
