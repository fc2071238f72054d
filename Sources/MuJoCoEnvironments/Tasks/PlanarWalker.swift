import Tensors

/// The rules Hopper and Walker2d share (Gymnasium v5): observation qpos[1:] + clip(qvel, +-10);
/// reward = x-velocity + 1 while healthy - 1e-3 sum a^2; the episode ends when unhealthy;
/// reset noise +-0.005 uniform on qpos and qvel. qpos[1] is the torso height and qpos[2]
/// its pitch; the tasks differ in what counts as healthy.
public protocol PlanarWalker: MuJoCoTask where Measurement == Double {
    /// Whether the walker is still up, from its state.
    static func isHealthy(_ simulation: MuJoCoSimulation) -> Bool
}

extension PlanarWalker {
    public static var maxEpisodeSteps: Int { 1000 }
    public static var needsContactForces: Bool { false }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 5e-3, rng: &rng)
        TaskMath.addUniformNoise(simulation.qvel, scale: 5e-3, rng: &rng)
    }

    public func measure(_ simulation: MuJoCoSimulation) -> Double { simulation.qpos[0] }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: Double, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let velocity = (simulation.qpos[0] - before) / dt
        let healthy = Self.isHealthy(simulation)
        return (Float(velocity + (healthy ? 1 : 0) - 1e-3 * TaskMath.squaredNorm(control)), !healthy)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos, from: 1)
        out.append(simulation.qvel, clip: 10)
        out.finish()
    }
}

/// Hopper (Gymnasium v5 rules): a one-legged planar hopper. Observation 11. Healthy while
/// qpos[2:] and qvel stay inside (-100, 100), the height is above 0.7 and the pitch inside
/// (-0.2, 0.2).
public struct Hopper: PlanarWalker {
    public static let name = "hopper"
    public static let modelName = "hopper"
    public static let frameSkip = 4
    public static let observationSize = 11
    public static let actionDimension = 3
    public static let actionLimit = 1.0

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 6, nv: 6, nu: 3)
        _ = try model.jointID("rootz")
    }

    public static func isHealthy(_ simulation: MuJoCoSimulation) -> Bool {
        let q = simulation.qpos
        let bounded = q[2...].allSatisfy { abs($0) < 100 } && simulation.qvel.allSatisfy { abs($0) < 100 }
        return bounded && q[1] > 0.7 && abs(q[2]) < 0.2
    }
}

/// Walker2d (Gymnasium v5 rules): a two-legged planar walker. Observation 17. Healthy while
/// the height is inside (0.8, 2.0) and the pitch inside (-1, 1).
public struct Walker2d: PlanarWalker {
    public static let name = "walker2d"
    public static let modelName = "walker2d"
    public static let frameSkip = 4
    public static let observationSize = 17
    public static let actionDimension = 6
    public static let actionLimit = 1.0

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 9, nv: 9, nu: 6)
        _ = try model.jointID("rootz")
    }

    public static func isHealthy(_ simulation: MuJoCoSimulation) -> Bool {
        let q = simulation.qpos
        return q[1] > 0.8 && q[1] < 2.0 && q[2] > -1 && q[2] < 1
    }
}
