import Tensors

/// Swimmer (Gymnasium v5 rules): a three-segment swimmer in a viscous fluid. Observation 8 =
/// qpos[2:] + qvel; reward = x-velocity - 1e-4 sum a^2; no termination. Reset noise +-0.1
/// uniform on qpos and qvel.
public struct Swimmer: MuJoCoTask {
    public static let name = "swimmer"
    public static let modelName = "swimmer"
    public static let frameSkip = 4
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 8
    public static let actionDimension = 2
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 5, nv: 5, nu: 2)
        _ = try model.jointID("slider1")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 0.1, rng: &rng)
        TaskMath.addUniformNoise(simulation.qvel, scale: 0.1, rng: &rng)
    }

    public func measure(_ simulation: MuJoCoSimulation) -> Double { simulation.qpos[0] }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: Double, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let velocity = (simulation.qpos[0] - before) / dt
        return (Float(velocity - 1e-4 * TaskMath.squaredNorm(control)), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos, from: 2)
        out.append(simulation.qvel)
        out.finish()
    }
}
