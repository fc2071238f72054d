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
///
/// The replay keeps its place between calls to `measure`, so that a benchmark can alternate
/// short slices of physics and of environment stepping: this machine's speed drifts by tens
/// of percent over seconds, and only measurements taken close together compare fairly.
public final class PhysicsReplay {
    /// Physics steps per environment step.
    public let frameSkip: Int
    private let simulation: MuJoCoSimulation
    private let controls: [[Double]]
    private let episodeEnds: [Bool]
    private var position = 0

    /// Records `recordedSteps` environment steps of task `T` under random actions.
    public init<T: MuJoCoTask>(_ task: T.Type, seed: UInt64, recordedSteps: Int = 2000) throws {
        var env = try MuJoCoEnvironment<T>()
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 2))
        var controls: [[Double]] = []
        var episodeEnds: [Bool] = []
        env.reset(rng: &rng)
        var episodeStep = 0
        for _ in 0..<recordedSteps {
            let action = (0..<T.actionDimension).map { _ in Float(rng.uniformDouble() * 2 - 1) * Float(T.actionLimit) }
            let ended = action.withUnsafeBufferPointer { env.step($0, rng: &rng) }.terminated
            episodeStep += 1
            let cut = ended || episodeStep == T.maxEpisodeSteps
            controls.append(action.map(Double.init))
            episodeEnds.append(cut)
            if cut {
                env.reset(rng: &rng)
                episodeStep = 0
            }
        }
        self.frameSkip = T.frameSkip
        self.controls = controls
        self.episodeEnds = episodeEnds
        simulation = MuJoCoSimulation(model: env.simulation.model)
        simulation.reset()
        simulation.forward()
    }

    /// Physics steps per second over at least `seconds` of timed stepping, continuing the
    /// replay where the previous call stopped.
    public func measure(seconds: Double) -> Double {
        var timed: UInt64 = 0
        var steps = 0
        repeat {
            for j in controls[position].indices { simulation.ctrl[j] = controls[position][j] }
            let start = DispatchTime.now().uptimeNanoseconds
            simulation.step(frames: frameSkip, contactForces: false)
            timed += DispatchTime.now().uptimeNanoseconds - start
            steps += frameSkip
            if episodeEnds[position] || !simulation.isFinite {
                simulation.reset()
                simulation.forward()
            }
            position = (position + 1) % controls.count
        } while Double(timed) * 1e-9 < seconds
        return Double(steps) / (Double(timed) * 1e-9)
    }
}
