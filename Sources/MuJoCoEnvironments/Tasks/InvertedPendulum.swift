import Tensors

/// InvertedPendulum (Gymnasium v5 rules): a cart balances a pole. Observation 4 = qpos +
/// qvel; reward 1 for every step that does not end the episode; the episode ends when the
/// state is not finite or the pole leans more than 0.2 rad. Reset noise +-0.01 uniform.
public struct InvertedPendulum: MuJoCoTask {
    public static let name = "inverted-pendulum"
    public static let modelName = "inverted-pendulum"
    public static let frameSkip = 2
    public static let maxEpisodeSteps = 1000
    public static let observationSize = 4
    public static let actionDimension = 1
    public static let actionLimit = 3.0
    public static let needsContactForces = false

    public init(model: MuJoCoModel) throws {
        try model.require(nq: 2, nv: 2, nu: 1)
        _ = try model.jointID("hinge")
    }

    public mutating func reset(_ simulation: MuJoCoSimulation, rng: inout RandomStream) {
        TaskMath.addUniformNoise(simulation.qpos, scale: 0.01, rng: &rng)
        TaskMath.addUniformNoise(simulation.qvel, scale: 0.01, rng: &rng)
    }

    public mutating func reward(_ simulation: MuJoCoSimulation, before: NoMeasurement, control: UnsafeBufferPointer<Double>,
                                dt: Double, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let fallen = !simulation.isFinite || abs(simulation.qpos[1]) > 0.2
        return (fallen ? 0 : 1, fallen)
    }

    public func writeObservation(_ simulation: MuJoCoSimulation, into buffer: UnsafeMutableBufferPointer<Float>) {
        var out = ObservationWriter(buffer)
        out.append(simulation.qpos)
        out.append(simulation.qvel)
        out.finish()
    }
}
