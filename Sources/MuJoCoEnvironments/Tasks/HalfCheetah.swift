import Tensors

/// HalfCheetah (Gymnasium v5 rules): a planar cat-like runner. Observation 17 = qpos[1:] +
/// qvel; reward = x-velocity - 0.1 sum a^2; no termination (episodes end at 1000 steps).
/// Reset noise: qpos +-0.1 uniform, qvel 0.1 N(0, 1).
public struct HalfCheetah: MuJoCoTask {
    public static let name = "halfcheetah"
    public static let modelName = "halfcheetah"
    public static let frameSkip = 5
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 17
    public static let actionDimension = 6
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 9, nv: 9, nu: 6)
        _ = try model.jointID("rootx")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 0.1, rng: &rng)
        TaskMath.addNormalNoise(simulation.qvel, scale: 0.1, rng: &rng)
    }

    public func measure(_ simulation: MuJoCoSimulation) -> Double { simulation.qpos[0] }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: Double, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let velocity = (simulation.qpos[0] - before) / dt
        return (Float(velocity - 0.1 * TaskMath.squaredNorm(control)), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos, from: 1)
        out.append(simulation.qvel)
        out.finish()
    }
}
