import Foundation
import Tensors

/// Reacher (Gymnasium v5 rules): a two-link planar arm brings its fingertip to a target.
/// Observation 10 = cos and sin of the two arm angles, the target's position (its two slide
/// joints), the arm's two joint velocities and (fingertip - target) in x and y. Reward =
/// -|fingertip - target| - sum a^2, measured after the step. No termination; 50-step episodes.
/// Reset: every qpos +-0.1 uniform, then the target drawn uniformly in [-0.2, 0.2]^2 until
/// its norm is below 0.2; arm velocities +-0.005 uniform, the target's zero.
public struct Reacher: MuJoCoTask {
    public static let name = "reacher"
    public static let modelName = "reacher"
    public static let frameSkip = 2
    public static let maxEpisodeSteps = 50
    public static let observationSize = 10
    public static let actionDimension = 2
    public static let actionLimit = 1.0
    public static let needsContactForces = false

    let fingertip: Int
    let target: Int

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 4, nv: 4, nu: 2)
        fingertip = try model.bodyID("fingertip")
        target = try model.bodyID("target")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        let q = simulation.qpos, v = simulation.qvel
        TaskMath.addUniformNoise(q, scale: 0.1, rng: &rng)
        var goal: (Double, Double)
        repeat {
            goal = (rng.uniformDouble() * 0.4 - 0.2, rng.uniformDouble() * 0.4 - 0.2)
        } while (goal.0 * goal.0 + goal.1 * goal.1).squareRoot() >= 0.2
        q[2] = goal.0
        q[3] = goal.1
        TaskMath.addUniformNoise(UnsafeMutableBufferPointer(rebasing: v[0..<2]), scale: 5e-3, rng: &rng)
        v[2] = 0
        v[3] = 0
    }

    /// (fingertip - target) in 3D.
    func offset(_ simulation: MuJoCoSimulation) -> SIMD3<Double> {
        let p = simulation.xpos
        return SIMD3(p[3 * fingertip] - p[3 * target], p[3 * fingertip + 1] - p[3 * target + 1],
                     p[3 * fingertip + 2] - p[3 * target + 2])
    }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: NoMeasurement, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let d = offset(simulation)
        let distance = (d * d).sum().squareRoot()
        return (Float(-distance - TaskMath.squaredNorm(control)), false)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        let q = simulation.qpos, v = simulation.qvel
        let d = offset(simulation)
        var out = ObservationWriter(buffer)
        out.append(cos(q[0]), cos(q[1]), sin(q[0]), sin(q[1]), q[2], q[3], v[0], v[1], d.x, d.y)
        out.finish()
    }
}
