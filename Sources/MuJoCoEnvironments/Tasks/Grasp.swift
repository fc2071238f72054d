import CMuJoCo
import Foundation
import Tensors

/// Grasp (after Brax v0.0.x's `grasp`): a four-fingered claw (`Models/grasp.xml`) picks up a
/// capsule lying on the floor and carries it to a target sphere; whenever the capsule's
/// centre comes within `hitRadius` of the target's, the target respawns.
///
/// The model is Brax's claw at a tenth of its length unit, so the reward keeps Brax's terms
/// by measuring lengths in that unit (`unit` = 0.1 m); dt = 0.02 s as in Brax:
/// - moving to the object: `0.1 dt * (palm velocity / unit) . direction palm->object`
///   (Brax uses a finger base's velocity; the palm carries it),
/// - close to the object: `0.1 dt / (1 + planar palm-object distance / unit)`,
/// - moving the object to the target: `1.5 dt * (object velocity / unit) . direction
///   object->target`,
/// - touching: `0.2 dt` per fingertip touching the object,
/// - hit: 5 when the object is within `hitRadius` (0.11) of the target.
/// No termination: 1000-step episodes.
///
/// Targets (Brax's distribution, scaled): horizontal distance `0.11 + U` from the origin in a
/// uniformly random direction, height `0.8 U`. Brax keeps its first target at a fixed spot;
/// here the first one is drawn at reset like every later one.
///
/// Observation 65: palm position and velocity (3 + 3), the 16 finger joint angles and
/// velocities (16 + 16), object - palm (3), object orientation quaternion (4), object linear
/// and angular velocity (3 + 3), target - object (3) and its length (1), target - palm (3),
/// the palm's velocity along the direction to the object (1), the object's velocity along the
/// direction to the target (1), and 0/1 contact flags of the four fingertips and the palm
/// with the object (5). Reset: object position +-0.05 uniform in x and y, the hand at rest
/// at its reference pose.
public struct Grasp: MuJoCoTask {
    public static let name = "grasp"
    public static let modelName = "grasp"
    public static let frameSkip = 4
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 65
    public static let actionDimension = 19
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    /// Brax's length unit in metres: the model is Brax's claw scaled by it.
    public static let unit = 0.1
    /// Object-to-target distance that counts as a hit (Brax: 1.1 units).
    public static let hitRadius = 0.11
    /// Reward for a hit.
    public static let hitBonus = 5.0
    /// Targets lie `respawnMinimum + respawnSpread * U` from the origin at height `respawnHeight * U`.
    public static let respawnMinimum = 0.11
    public static let respawnSpread = 1.0
    public static let respawnHeight = 0.8

    let target: Int
    let tips: [Int]
    let palm: Int
    let object: Int
    /// Height of the palm body when its vertical slide is at zero.
    let palmBase: SIMD3<Double>

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 26, nv: 25, nu: 19)
        target = try model.mocapID(ofBody: "target")
        tips = try ["one_tip", "two_tip", "three_tip", "four_tip"].map { try model.geomID($0) }
        palm = try model.geomID("palm")
        object = try model.geomID("object")
        let body = try model.bodyID("palm")
        let p = model.pointer.pointee.body_pos!
        palmBase = SIMD3(p[3 * body], p[3 * body + 1], p[3 * body + 2])
        guard try model.qposAddress(ofJoint: "object") == 0, try model.qposAddress(ofJoint: "palm_x") == 7 else {
            throw MuJoCoError.modelMismatch(path: model.path, reason: "grasp needs the object's free joint first, then palm_x, palm_y, palm_z")
        }
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(UnsafeMutableBufferPointer(rebasing: simulation.qpos[0..<2]), scale: 0.05, rng: &rng)
        placeTarget(simulation, rng: &rng)
    }

    /// Draws a new target position.
    func placeTarget(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        let distance = Self.respawnMinimum + Self.respawnSpread * rng.uniformDouble()
        let angle = 2 * Double.pi * rng.uniformDouble()
        let height = Self.respawnHeight * rng.uniformDouble()
        let mocap = simulation.mocapPos
        mocap[3 * target] = distance * cos(angle)
        mocap[3 * target + 1] = distance * sin(angle)
        mocap[3 * target + 2] = height
    }

    /// Positions and velocities the reward and observation share, read from the integrated state.
    struct Scene {
        var palm: SIMD3<Double>
        var palmVelocity: SIMD3<Double>
        var object: SIMD3<Double>
        var objectVelocity: SIMD3<Double>
        var target: SIMD3<Double>
    }

    func scene(_ simulation: MuJoCoSimulation) -> Scene {
        let q = simulation.qpos, v = simulation.qvel, mocap = simulation.mocapPos
        return Scene(palm: palmBase + SIMD3(q[7], q[8], q[9]), palmVelocity: SIMD3(v[6], v[7], v[8]),
                     object: SIMD3(q[0], q[1], q[2]), objectVelocity: SIMD3(v[0], v[1], v[2]),
                     target: SIMD3(mocap[3 * target], mocap[3 * target + 1], mocap[3 * target + 2]))
    }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: NoMeasurement, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let s = scene(simulation)
        let unit = Self.unit
        let toObject = s.object - s.palm
        let objectDistance = length(toObject)
        let planar = (toObject.x * toObject.x + toObject.y * toObject.y).squareRoot()
        let movingToObject = 0.1 * dt * dot(s.palmVelocity / unit, toObject / (1e-6 + objectDistance))
        let closeToObject = 0.1 * dt / (1 + planar / unit)
        let toTarget = s.target - s.object
        let targetDistance = length(toTarget)
        let movingToTarget = 1.5 * dt * dot(s.objectVelocity / unit, toTarget / (1e-6 + targetDistance))
        let touching = 0.2 * dt * Double(tips.reduce(0) { $0 + (simulation.isTouching($1, object) ? 1 : 0) })
        var reward = movingToObject + closeToObject + movingToTarget + touching
        if targetDistance < Self.hitRadius {
            reward += Self.hitBonus
            placeTarget(simulation, rng: &rng)
        }
        return (Float(reward), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        let q = simulation.qpos, v = simulation.qvel
        let s = scene(simulation)
        let toObject = s.object - s.palm, toTarget = s.target - s.object, palmToTarget = s.target - s.palm
        let targetDistance = length(toTarget)
        var out = ObservationWriter(buffer)
        out.append(s.palm.x, s.palm.y, s.palm.z, s.palmVelocity.x, s.palmVelocity.y, s.palmVelocity.z)
        out.append(UnsafeMutableBufferPointer(rebasing: q[10...]))
        out.append(UnsafeMutableBufferPointer(rebasing: v[9...]))
        out.append(toObject.x, toObject.y, toObject.z, q[3], q[4], q[5], q[6])
        out.append(v[0], v[1], v[2], v[3], v[4], v[5])
        out.append(toTarget.x, toTarget.y, toTarget.z, targetDistance, palmToTarget.x, palmToTarget.y, palmToTarget.z)
        out.append(dot(s.palmVelocity, toObject / (1e-6 + length(toObject))),
                   dot(s.objectVelocity, toTarget / (1e-6 + targetDistance)))
        for geom in tips + [palm] { out.append(simulation.isTouching(geom, object) ? 1 : 0) }
        out.finish()
    }

    private func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
    private func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
}

extension MuJoCoSimulation {
    /// Whether geoms `a` and `b` touch in MuJoCo's contact list (found by the last physics
    /// step's collision pass).
    func isTouching(_ a: Int, _ b: Int) -> Bool {
        let count = Int(data.pointee.ncon)
        guard count > 0, let contacts = data.pointee.contact else { return false }
        for i in 0..<count {
            let g1 = Int(contacts[i].geom1), g2 = Int(contacts[i].geom2)
            if (g1 == a && g2 == b) || (g1 == b && g2 == a) { return true }
        }
        return false
    }
}
