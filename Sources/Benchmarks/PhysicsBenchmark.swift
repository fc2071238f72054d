import Dispatch
import MuJoCoEnvironments
import Tensors

/// The raw physics rate of a MuJoCo model: `mj_step` calls per second on one core, with no
/// task around it. Controls are redrawn uniformly in the control range every `frameSkip`
/// steps (as an environment step would) and the world is reset every 1000 such steps, so
/// that the physics sees the same kind of motion as under `bench env`.
public enum PhysicsBenchmark {
    public static func stepsPerSecond(model: MuJoCoModel, frameSkip: Int, seconds: Double, seed: UInt64) -> Double {
        let simulation = MuJoCoSimulation(model: model)
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 2))
        let ranges = model.controlRanges.map { ($0.low.isFinite ? $0.low : -1, $0.high.isFinite ? $0.high : 1) }
        let table = (0..<64).map { _ in ranges.map { rng.uniformDouble() * ($0.1 - $0.0) + $0.0 } }
        simulation.reset()
        let start = DispatchTime.now().uptimeNanoseconds
        var steps = 0, environmentSteps = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<32 {
                let controls = table[environmentSteps % table.count]
                for j in controls.indices { simulation.ctrl[j] = controls[j] }
                simulation.step(frames: frameSkip, contactForces: false)
                steps += frameSkip
                environmentSteps += 1
                if environmentSteps % 1000 == 0 || !simulation.isFinite { simulation.reset() }
            }
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        } while elapsed < seconds
        return Double(steps) / elapsed
    }
}
