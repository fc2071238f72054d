import Tensors

/// Humanoid (Gymnasium v5 rules): a 3D biped rewarded for walking along +x.
/// Observation 348 = qpos[2:] (22) + qvel (23) + cinert[1:] (130) + cvel[1:] (78) +
/// qfrc_actuator[6:] (17) + cfrc_ext[1:] (78). Reward = 1.25 x-velocity of the mass centre
/// + 5 while healthy - 0.1 sum ctrl^2 - min(5e-7 sum cfrc_ext^2, 10). Healthy while the torso
/// height is inside (1.0, 2.0); unhealthy ends the episode. Reset noise +-0.01 uniform.
public struct Humanoid: MuJoCoTask {
    public static let name = "humanoid"
    public static let modelName = "humanoid"
    public static let frameSkip = 5
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 348
    public static let actionDimension = 17
    public static let actionLimit = 0.4
    public static let needsContactForces = true

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 24, nv: 23, nu: 17, nbody: 14)
        _ = try model.bodyID("torso")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 0.01, rng: &rng)
        TaskMath.addUniformNoise(simulation.qvel, scale: 0.01, rng: &rng)
    }

    /// x of the whole body's centre of mass (body masses times their centres, `xipos`).
    static func massCentreX(_ simulation: MuJoCoSimulation) -> Double {
        let model = simulation.model.pointer.pointee
        var weighted = 0.0, total = 0.0
        for b in 0..<simulation.model.nbody {
            weighted += model.body_mass[b] * simulation.xipos[3 * b]
            total += model.body_mass[b]
        }
        return weighted / total
    }

    public func measure(_ simulation: MuJoCoSimulation) -> Double { Self.massCentreX(simulation) }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: Double, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let velocity = (Self.massCentreX(simulation) - before) / dt
        let contact = min(5e-7 * TaskMath.squaredNorm(UnsafeBufferPointer(simulation.cfrcExt)), 10)
        let z = simulation.qpos[2]
        let healthy = z > 1.0 && z < 2.0
        let reward = 1.25 * velocity + (healthy ? 5 : 0) - 0.1 * TaskMath.squaredNorm(control) - contact
        return (Float(reward), !healthy)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos, from: 2)
        out.append(simulation.qvel)
        out.append(simulation.cinert, from: 10)
        out.append(simulation.cvel, from: 6)
        out.append(simulation.qfrcActuator, from: 6)
        out.append(simulation.cfrcExt, from: 6)
        out.finish()
    }
}
