import Dispatch
import MuJoCoEnvironments
import Tensors

/// The raw physics rate of a MuJoCo task's model: `mj_step` calls per second on one core,
/// with no task around it. The task is first played with uniformly random actions (episodes
/// ending by its own rules), recording the controls and where episodes ended; then a bare
/// simulation replays those controls, `frameSkip` physics steps each, and is reset (untimed)
/// wherever an episode ended. Only the physics steps are timed. So a fallen Hopper, which the
/// task would reset, is not timed lying on the floor, and the comparison with `bench env`
/// isolates what the task wrapper adds. (Replaying recorded states instead would time the
/// steps right after a state restore, which ran measurably slower than steady stepping.)
public enum PhysicsBenchmark {
    public static func stepsPerSecond<T: MuJoCoTask>(_ task: T.Type, seconds: Double, seed: UInt64,
                                                     recordedSteps: Int = 2000) throws -> Double {
        var env = try MuJoCoEnvironment<T>()
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 2))
        var controls: [[Float]] = []
        var episodeEnds: [Bool] = []
        env.reset(rng: &rng)
        var episodeStep = 0
        for _ in 0..<recordedSteps {
            let action = (0..<T.actionDimension).map { _ in Float(rng.uniformDouble() * 2 - 1) * Float(T.actionLimit) }
            let ended = action.withUnsafeBufferPointer { env.step($0, rng: &rng) }.terminated
            episodeStep += 1
            let cut = ended || episodeStep == T.maxEpisodeSteps
            controls.append(action)
            episodeEnds.append(cut)
            if cut {
                env.reset(rng: &rng)
                episodeStep = 0
            }
        }
        let simulation = MuJoCoSimulation(model: env.simulation.model)
        simulation.reset()
        simulation.forward()
        var timed: UInt64 = 0
        var steps = 0
        repeat {
            for (action, ended) in zip(controls, episodeEnds) {
                for j in action.indices { simulation.ctrl[j] = Double(action[j]) }
                let start = DispatchTime.now().uptimeNanoseconds
                simulation.step(frames: T.frameSkip, contactForces: false)
                timed += DispatchTime.now().uptimeNanoseconds - start
                steps += T.frameSkip
                if ended || !simulation.isFinite {
                    simulation.reset()
                    simulation.forward()
                }
            }
        } while Double(timed) * 1e-9 < seconds
        return Double(steps) / (Double(timed) * 1e-9)
    }
}
