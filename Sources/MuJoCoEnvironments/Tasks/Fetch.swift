import Foundation
import Tensors

/// Fetch (after Brax v0.0.x's `fetch`): a ten-joint quadruped (`Models/fetch.xml`) runs to a
/// target; whenever its torso comes within `hitRadius` (2, Brax's value) of the target in
/// the ground plane, the target respawns `2 + 15 U` away from the torso in a uniformly random
/// direction (U uniform in [0, 1]).
///
/// Reward per step (Brax's terms, dt = 0.02 s as in Brax):
/// `0.1 * (torso displacement . direction to target)` + `0.1 dt * up_z` (torso upright)
/// + `0.1 dt * torso height` + on a hit `facing`, the cosine between the torso's forward axis
/// and the direction to the target (Brax's weighted hit). Distances and directions are planar
/// (Brax's are 3-D to a marker at height 1). No termination: 1000-step episodes.
///
/// Observation 41: torso forward axis (3) and up axis (3) in the world frame, the target's
/// planar distance (1) and its direction in the torso frame (3), torso height (1), the ten
/// joint angles (10), the torso's linear velocity in its own frame (3) and angular velocity
/// (3), the ten joint velocities (10), and a 0/1 ground contact flag per lower leg (4).
/// Reset: joint angles +-0.05 uniform (Brax starts exactly at rest); the target is placed as
/// on a hit.
public struct Fetch: MuJoCoTask {
    public static let name = "fetch"
    public static let modelName = "fetch"
    public static let frameSkip = 4
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 41
    public static let actionDimension = 10
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    /// Planar distance from torso to target that counts as reaching it.
    public static let hitRadius = 2.0
    /// A respawned target lies `respawnMinimum + respawnSpread * U` from the torso.
    public static let respawnMinimum = 2.0
    public static let respawnSpread = 15.0
    /// Height of the target marker (only drawn; distances are planar).
    static let markerHeight = 1.0

    let target: Int
    let feet: [Int]
    let floor: Int

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 17, nv: 16, nu: 10)
        target = try model.mocapID(ofBody: "target")
        feet = try ["front_right_foot", "front_left_foot", "back_right_foot", "back_left_foot"].map { try model.geomID($0) }
        floor = try model.geomID("floor")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(UnsafeMutableBufferPointer(rebasing: simulation.qpos[7...]), scale: 0.05, rng: &rng)
        placeTarget(simulation, rng: &rng)
    }

    /// Moves the target `2 + 15 U` from the torso in a uniformly random planar direction.
    func placeTarget(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        let distance = Self.respawnMinimum + Self.respawnSpread * rng.uniformDouble()
        let angle = 2 * Double.pi * rng.uniformDouble()
        let q = simulation.qpos, mocap = simulation.mocapPos
        mocap[3 * target] = q[0] + distance * cos(angle)
        mocap[3 * target + 1] = q[1] + distance * sin(angle)
        mocap[3 * target + 2] = Self.markerHeight
    }

    /// Planar offset from the torso to the target.
    func targetOffset(_ simulation: MuJoCoSimulation) -> SIMD2<Double> {
        let q = simulation.qpos, mocap = simulation.mocapPos
        return SIMD2(mocap[3 * target] - q[0], mocap[3 * target + 1] - q[1])
    }

    /// Torso position in the ground plane, before the step.
    public func measure(_ simulation: MuJoCoSimulation) -> SIMD2<Double> {
        SIMD2(simulation.qpos[0], simulation.qpos[1])
    }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: SIMD2<Double>, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let q = simulation.qpos
        let offset = targetOffset(simulation)
        let distance = (offset * offset).sum().squareRoot()
        let direction = offset / (1e-6 + distance)
        let displacement = SIMD2(q[0], q[1]) - before
        let rotation = Rotation(quaternion: q, at: 3)
        var reward = 0.1 * (displacement * direction).sum()
            + 0.1 * dt * rotation.up.z
            + 0.1 * dt * q[2]
        if distance < Self.hitRadius {
            let forward = rotation.forward
            reward += forward.x * direction.x + forward.y * direction.y
            placeTarget(simulation, rng: &rng)
        }
        return (Float(reward), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        let q = simulation.qpos, v = simulation.qvel
        let rotation = Rotation(quaternion: q, at: 3)
        let offset = targetOffset(simulation)
        let distance = (offset * offset).sum().squareRoot()
        let local = rotation.toLocal(SIMD3(offset.x, offset.y, 0)) / (1e-6 + distance)
        let velocity = rotation.toLocal(SIMD3(v[0], v[1], v[2]))
        var out = ObservationWriter(buffer)
        let forward = rotation.forward, up = rotation.up
        out.append(forward.x, forward.y, forward.z, up.x, up.y, up.z)
        out.append(distance, local.x, local.y, local.z, q[2])
        out.append(UnsafeMutableBufferPointer(rebasing: q[7...]))
        out.append(velocity.x, velocity.y, velocity.z, v[3], v[4], v[5])
        out.append(UnsafeMutableBufferPointer(rebasing: v[6...]))
        for foot in feet { out.append(simulation.isTouching(foot, floor) ? 1 : 0) }
        out.finish()
    }
}

/// A body orientation as a rotation matrix (body axes as columns, in the world frame), built
/// from a free joint's unit quaternion (w, x, y, z) in `qpos`: exact for the integrated
/// state, whereas MuJoCo's `xmat` lags one physics step behind it.
struct Rotation {
    /// Row-major 3 x 3.
    let m: (Double, Double, Double, Double, Double, Double, Double, Double, Double)

    init(quaternion q: UnsafeMutableBufferPointer<Double>, at start: Int) {
        let w = q[start], x = q[start + 1], y = q[start + 2], z = q[start + 3]
        m = (1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
             2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
             2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    }

    /// The body's x axis.
    var forward: SIMD3<Double> { SIMD3(m.0, m.3, m.6) }
    /// The body's z axis.
    var up: SIMD3<Double> { SIMD3(m.2, m.5, m.8) }

    /// A world-frame vector in the body frame (the transpose applied).
    func toLocal(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(m.0 * v.x + m.3 * v.y + m.6 * v.z,
              m.1 * v.x + m.4 * v.y + m.7 * v.z,
              m.2 * v.x + m.5 * v.y + m.8 * v.z)
    }
}
