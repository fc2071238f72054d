import Foundation
import Tensors

/// UR5e (after Brax v0.0.x's `ur5e`): a six-joint UR5e arm (`Models/ur5e.xml`, built from
/// the robot's DH parameters and link masses) brings its tool flange (site `ee`) to a target;
/// a distance below `hitRadius` (0.02) counts as a hit and the target respawns.
///
/// Targets (Brax's distribution): height 0.5, horizontal distance `0.02 + 0.5 U` from the
/// base axis in a uniformly random direction, all inside the arm's reach (0.85 m).
/// Reward per step (Brax's terms): `0.1 * (flange displacement . direction to target)` plus
/// 1 on a hit. No termination: 1000-step episodes of 0.02 s.
///
/// Observation 37: cos and sin of the joint angles (6 + 6), joint velocities (6), flange
/// position (3), target position (3), target - flange (3), their distance (1), the direction
/// to the target in the flange frame (3), and the flange's x and z axes in the world (3 + 3).
/// Reset: the arm upright as Brax's starts ([0, -90, 0, -90, 0, 0] degrees), every joint
/// +-0.05 rad uniform, at rest; the target drawn as on a hit.
public struct UR5e: MuJoCoTask {
    public static let name = "ur5e"
    public static let modelName = "ur5e"
    public static let frameSkip = 4
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 37
    public static let actionDimension = 6
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    /// Flange-to-target distance that counts as reaching it.
    public static let hitRadius = 0.02
    /// Targets lie `respawnMinimum + respawnSpread * U` from the base axis, at `targetHeight`.
    public static let respawnMinimum = 0.02
    public static let respawnSpread = 0.5
    public static let targetHeight = 0.5
    /// Joint angles the episode starts from (upright arm).
    public static let home: [Double] = [0, -Double.pi / 2, 0, -Double.pi / 2, 0, 0]

    let flange: Int
    let wrist: Int
    let target: Int

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 6, nv: 6, nu: 6)
        flange = try model.siteID("ee")
        wrist = try model.bodyID("wrist_3_link")
        target = try model.mocapID(ofBody: "target")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        let q = simulation.qpos
        for i in q.indices { q[i] = Self.home[i] }
        TaskMath.addUniformNoise(q, scale: 0.05, rng: &rng)
        placeTarget(simulation, rng: &rng)
    }

    /// Draws a new target position.
    func placeTarget(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        let distance = Self.respawnMinimum + Self.respawnSpread * rng.uniformDouble()
        let angle = 2 * Double.pi * rng.uniformDouble()
        let mocap = simulation.mocapPos
        mocap[3 * target] = distance * cos(angle)
        mocap[3 * target + 1] = distance * sin(angle)
        mocap[3 * target + 2] = Self.targetHeight
    }

    func flangePosition(_ simulation: MuJoCoSimulation) -> SIMD3<Double> {
        let p = simulation.siteXpos
        return SIMD3(p[3 * flange], p[3 * flange + 1], p[3 * flange + 2])
    }

    func targetPosition(_ simulation: MuJoCoSimulation) -> SIMD3<Double> {
        let p = simulation.mocapPos
        return SIMD3(p[3 * target], p[3 * target + 1], p[3 * target + 2])
    }

    /// Flange position before the step.
    public func measure(_ simulation: MuJoCoSimulation) -> SIMD3<Double> { flangePosition(simulation) }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: SIMD3<Double>, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let flange = flangePosition(simulation)
        let offset = targetPosition(simulation) - flange
        let distance = (offset * offset).sum().squareRoot()
        let direction = offset / (1e-6 + distance)
        var reward = 0.1 * ((flange - before) * direction).sum()
        if distance < Self.hitRadius {
            reward += 1
            placeTarget(simulation, rng: &rng)
        }
        return (Float(reward), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        let q = simulation.qpos
        let flange = flangePosition(simulation), goal = targetPosition(simulation)
        let offset = goal - flange
        let distance = (offset * offset).sum().squareRoot()
        // Body axes are the columns of the row-major world orientation.
        let r = UnsafeMutableBufferPointer(rebasing: simulation.xmat[(9 * wrist)..<(9 * wrist + 9)])
        let local = SIMD3(r[0] * offset.x + r[3] * offset.y + r[6] * offset.z,
                          r[1] * offset.x + r[4] * offset.y + r[7] * offset.z,
                          r[2] * offset.x + r[5] * offset.y + r[8] * offset.z) / (1e-6 + distance)
        var out = ObservationWriter(buffer)
        for angle in q { out.append(cos(angle)) }
        for angle in q { out.append(sin(angle)) }
        out.append(simulation.qvel)
        out.append(flange.x, flange.y, flange.z, goal.x, goal.y, goal.z, offset.x, offset.y, offset.z, distance)
        out.append(local.x, local.y, local.z, r[0], r[3], r[6], r[2], r[5], r[8])
        out.finish()
    }
}
