import Dispatch
import MuJoCoEnvironments
import Tensors

/// The raw physics rate of a MuJoCo task's model: `mj_step` calls per second on one core,
/// with no task around it, on the states the task itself visits. The task is first played
/// with uniformly random actions (episodes reset by its own rules), recording the physics
/// state and the controls before every environment step; then only the `frameSkip` physics
/// steps from those recorded states are timed (restoring a state is not). So a fallen
/// Hopper, which the task resets, is not timed lying on the floor, and the comparison with
/// `bench env` isolates what the task wrapper adds.
public enum PhysicsBenchmark {
    public static func stepsPerSecond<T: MuJoCoTask>(_ task: T.Type, seconds: Double, seed: UInt64,
                                                     recordedSteps: Int = 2000) throws -> Double {
        var env = try MuJoCoEnvironment<T>()
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 2))
        var action = [Float](repeating: 0, count: T.actionDimension)
        var states: [MuJoCoSimulation.State] = []
        states.reserveCapacity(recordedSteps)
        env.reset(rng: &rng)
        var episodeStep = 0
        for _ in 0..<recordedSteps {
            for j in action.indices { action[j] = Float(rng.uniformDouble() * 2 - 1) * Float(T.actionLimit) }
            for j in action.indices { env.simulation.ctrl[j] = Double(action[j]) }
            states.append(env.simulation.state)
            let ended = action.withUnsafeBufferPointer { env.step($0, rng: &rng) }.terminated
            episodeStep += 1
            if ended || episodeStep == T.maxEpisodeSteps {
                env.reset(rng: &rng)
                episodeStep = 0
            }
        }
        let simulation = MuJoCoSimulation(model: env.simulation.model)
        var timed: UInt64 = 0
        var steps = 0
        repeat {
            for state in states {
                try simulation.restore(state)
                let start = DispatchTime.now().uptimeNanoseconds
                simulation.step(frames: T.frameSkip, contactForces: false)
                timed += DispatchTime.now().uptimeNanoseconds - start
                steps += T.frameSkip
            }
        } while Double(timed) * 1e-9 < seconds
        return Double(steps) / (Double(timed) * 1e-9)
    }
}
