import Tensors

/// Ant (Gymnasium v5 rules): a four-legged robot rewarded for running along +x.
/// Observation 105 = qpos[2:] (13) + qvel (14) + clip(cfrc_ext[1:], -1, 1) (78). Reward =
/// torso x-velocity + 1 while healthy - 0.5 sum a^2 - 5e-4 sum clip(cfrc_ext, -1, 1)^2.
/// Healthy while the state is finite and the torso height is in [0.2, 1.0]; unhealthy ends
/// the episode. Reset noise: qpos +-0.1 uniform, qvel 0.1 N(0, 1).
public struct Ant: MuJoCoTask {
    public static let name = "ant"
    public static let modelName = "ant"
    public static let frameSkip = 5
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 105
    public static let actionDimension = 8
    public static let actionLimit = 1.0
    public static let needsContactForces = true

    let torso: Int

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 15, nv: 14, nu: 8, nbody: 14)
        torso = try model.bodyID("torso")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 0.1, rng: &rng)
        TaskMath.addNormalNoise(simulation.qvel, scale: 0.1, rng: &rng)
    }

    public func measure(_ simulation: MuJoCoSimulation) -> Double { simulation.xpos[3 * torso] }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: Double, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let velocity = (simulation.xpos[3 * torso] - before) / dt
        let forces = simulation.cfrcExt
        var contact = 0.0
        for v in forces { let c = min(max(v, -1), 1); contact += c * c }
        let healthy = Self.isHealthy(simulation)
        let reward = velocity + (healthy ? 1 : 0) - 0.5 * TaskMath.squaredNorm(control) - 5e-4 * contact
        return (Float(reward), !healthy)
    }

    /// Finite state and torso height in [0.2, 1.0].
    public static func isHealthy(_ simulation: MuJoCoSimulation) -> Bool {
        let z = simulation.qpos[2]
        return simulation.isFinite && z >= 0.2 && z <= 1.0
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos, from: 2)
        out.append(simulation.qvel)
        out.append(simulation.cfrcExt, from: 6, clip: 1)
        out.finish()
    }
}
