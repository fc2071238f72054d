import Environments
import Foundation
import MuJoCoEnvironments
import Tensors
import Testing
import TestSupport

/// The MuJoCo rebuilds of Brax's fetch, ur5e and grasp tasks: model dimensions, hits and
/// respawns on scripted states, reward ordering, reproducibility and finite observations.
@Suite struct BraxTaskTests {
    /// Steps `env` once with `action` (repeated to the action dimension).
    func step<T>(_ env: inout MuJoCoEnvironment<T>, _ action: [Float], rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let values = action.count == T.actionDimension ? action : [Float](repeating: action.first ?? 0, count: T.actionDimension)
        return values.withUnsafeBufferPointer { env.step($0, rng: &rng) }
    }

    func point(_ values: UnsafeMutableBufferPointer<Double>, _ index: Int) -> SIMD3<Double> {
        SIMD3(values[3 * index], values[3 * index + 1], values[3 * index + 2])
    }

    func setMocap(_ env: MuJoCoEnvironment<some MuJoCoTask>, _ p: SIMD3<Double>) {
        let mocap = env.simulation.mocapPos
        for k in 0..<3 { mocap[k] = p[k] }
        env.simulation.forward()
    }

    func make(_ name: String, count: Int, seed: UInt64) throws -> ContinuousEnvironmentBatch {
        let entry = try #require(MuJoCoCatalog.entries.first { $0.name == name })
        return try #require(try entry.make(count, seed, EnvironmentConfiguration(parallelism: 1)) as? ContinuousEnvironmentBatch)
    }

    /// Plays `steps` uniformly random actions; returns observations, rewards and terminations.
    func play(_ env: ContinuousEnvironmentBatch, steps: Int, rng: inout RandomStream) -> [Float] {
        guard case let .continuous(dim, low, high) = env.actionSpace else { return [] }
        var trace: [Float] = []
        for _ in 0..<steps {
            env.step(actions: (0..<(env.count * dim)).map { _ in rng.uniform(low, high) })
            trace += Array(env.observations)
            trace += Array(env.rewards)
            trace += env.terminated.map { $0 ? 1 : 0 }
        }
        return trace
    }

    @Test func modelsHaveTheDeclaredDimensionsAndStepDuration() throws {
        func check<T: MuJoCoTask>(_ task: T.Type, nq: Int, nv: Int, nu: Int) throws {
            let env = try MuJoCoEnvironment<T>()
            let model = env.simulation.model
            #expect(model.nq == nq && model.nv == nv && model.nu == nu, "\(T.name): \(model.nq)/\(model.nv)/\(model.nu)")
            #expect(model.nmocap == 1, "\(T.name): one mocap target")
            #expect(abs(T.stepDuration(model) - 0.02) < 1e-12, "\(T.name): Brax's 0.02 s step")
            #expect(T.frameSkip == 4 && T.maxEpisodeSteps == 1000)
            #expect(env.observationShape == [T.observationSize])
            #expect(env.actionSpace == .continuous(dim: nu, low: -1, high: 1))
        }
        try check(Fetch.self, nq: 17, nv: 16, nu: 10)
        try check(UR5e.self, nq: 6, nv: 6, nu: 6)
        try check(Grasp.self, nq: 26, nv: 25, nu: 19)
        #expect(Fetch.observationSize == 41 && UR5e.observationSize == 37 && Grasp.observationSize == 65)
        let ur5e = try MuJoCoModelLibrary.shared.model(named: "ur5e")
        #expect(abs(ur5e.totalMass - (3.761 + 8.058 + 2.846 + 1.37 + 1.3 + 0.365)) < 1e-9, "arm links carry the UR5e masses")
    }

    @Test func fetchTorsoReachingTheTargetScoresAndRespawnsIt() throws {
        var env = try MuJoCoEnvironment<Fetch>()
        var rng = testStream(0)
        let torso = SIMD3(env.simulation.qpos[0], env.simulation.qpos[1], 1.0)
        // Far target: no hit; a standing dog earns only 0.1 dt (upright + height).
        let far = torso + SIMD3(10, 0, 0)
        setMocap(env, far)
        let (idle, ended) = step(&env, [0], rng: &rng)
        #expect(!ended)
        let height = env.simulation.qpos[2]
        #expect(abs(Double(idle) - 0.1 * 0.02 * (1 + height)) < 2e-3, "idle reward \(idle), height \(height)")
        #expect(point(env.simulation.mocapPos, 0) == far, "no hit, target stays")
        // Target 1 ahead of the torso (inside the radius of 2): hit weighted by facing it.
        for trial in 0..<5 {
            let ahead = SIMD3(env.simulation.qpos[0] + 1, env.simulation.qpos[1], 1.0)
            setMocap(env, ahead)
            let (reward, _) = step(&env, [0], rng: &rng)
            #expect(reward > 0.95 && reward < 1.05, "facing hit pays ~1: \(reward)")
            let target = point(env.simulation.mocapPos, 0)
            let planar = ((target.x - env.simulation.qpos[0]) * (target.x - env.simulation.qpos[0])
                + (target.y - env.simulation.qpos[1]) * (target.y - env.simulation.qpos[1])).squareRoot()
            #expect(planar >= 2 - 1e-3 && planar <= 17 + 1e-3, "trial \(trial): respawned \(planar) from the torso")
            #expect(target.z == 1.0)
        }
        // A target behind the dog still counts, but facing away costs the bonus.
        let behind = SIMD3(env.simulation.qpos[0] - 1, env.simulation.qpos[1], 1.0)
        setMocap(env, behind)
        let (reward, _) = step(&env, [0], rng: &rng)
        #expect(reward < -0.95, "hit while facing away: \(reward)")
    }

    @Test func ur5eFlangeAtTheTargetIsAHitAndTheTargetRespawns() throws {
        var env = try MuJoCoEnvironment<UR5e>()
        var rng = testStream(1)
        env.reset(rng: &rng)
        let start = point(env.simulation.mocapPos, 0)
        let radius = (start.x * start.x + start.y * start.y).squareRoot()
        #expect(radius >= 0.02 && radius <= 0.52 && start.z == 0.5, "reset target \(start)")
        // Upright arm: the flange sits near 1 m up (the DH lengths summed).
        let flange = point(env.simulation.siteXpos, 0)
        #expect(flange.z > 0.9 && flange.z < 1.1, "upright flange at \(flange)")
        for trial in 0..<5 {
            let flange = point(env.simulation.siteXpos, 0)
            setMocap(env, flange)
            let (reward, terminated) = step(&env, [0], rng: &rng)
            #expect(!terminated)
            #expect(reward > 0.99 && reward < 1.01, "trial \(trial): hit pays 1 + small progress: \(reward)")
            let target = point(env.simulation.mocapPos, 0)
            let r = (target.x * target.x + target.y * target.y).squareRoot()
            #expect(r >= 0.02 && r <= 0.52 && target.z == 0.5, "trial \(trial): respawned at \(target)")
        }
        // A target 0.3 away is no hit and stays.
        let away = point(env.simulation.siteXpos, 0) + SIMD3(0.3, 0, 0)
        setMocap(env, away)
        let (reward, _) = step(&env, [0], rng: &rng)
        #expect(abs(reward) < 0.05, "no hit: \(reward)")
        #expect(point(env.simulation.mocapPos, 0) == away)
    }

    @Test func ur5eRewardsProgressTowardsTheTarget() throws {
        var env = try MuJoCoEnvironment<UR5e>()
        var rng = testStream(2)
        env.reset(rng: &rng)
        let before = point(env.simulation.siteXpos, 0)
        setMocap(env, before + SIMD3(0, 0, -0.6))
        // Push the shoulder lift: the flange swings; the reward is 0.1 x its displacement along
        // the direction to the target.
        var total = 0.0, expected = 0.0
        for _ in 0..<5 {
            let from = point(env.simulation.siteXpos, 0)
            let (reward, _) = step(&env, [0, 1, 0, 0, 0, 0], rng: &rng)
            let to = point(env.simulation.siteXpos, 0)
            let offset = point(env.simulation.mocapPos, 0) - to
            let direction = offset / (1e-6 + (offset * offset).sum().squareRoot())
            expected += 0.1 * ((to - from) * direction).sum()
            total += Double(reward)
        }
        #expect(abs(total - expected) < 1e-6, "reward \(total), expected \(expected)")
        #expect(abs(total) > 1e-3, "the arm moved: \(total)")
    }

    /// A grasp environment whose hand has settled for 1 s under `action` (palm x servo at
    /// `palmX`), with the object on the floor and the target far from it.
    func settledGrasp(palmX: Float, rng: inout RandomStream) throws -> (MuJoCoEnvironment<Grasp>, [Float]) {
        var env = try MuJoCoEnvironment<Grasp>()
        var action = [Float](repeating: 0, count: Grasp.actionDimension)
        action[16] = palmX
        env.simulation.qpos[7] = Double(palmX)
        setMocap(env, SIMD3(-0.6, 0.4, 0.5))
        for _ in 0..<50 { _ = step(&env, action, rng: &rng) }
        return (env, action)
    }

    @Test func graspObjectAtTheTargetBeatsObjectOnTheFloor() throws {
        var rng = testStream(3)
        var (resting, action) = try settledGrasp(palmX: 0, rng: &rng)
        let (floorReward, _) = step(&resting, action, rng: &rng)
        // Straight above the resting object the palm earns the closeness term 0.1 dt = 0.002.
        #expect(abs(Double(floorReward) - 0.002) < 3e-4, "object on the floor: shaping only, \(floorReward)")

        var (lifted, _) = try settledGrasp(palmX: 0, rng: &rng)
        let target = SIMD3(-0.6, 0.4, 0.5)
        for k in 0..<3 { lifted.simulation.qpos[k] = target[k] }
        lifted.simulation.forward()
        let (hitReward, terminated) = step(&lifted, action, rng: &rng)
        #expect(!terminated)
        #expect(hitReward > 4.9 && hitReward < 5.1, "object at the target: hit bonus 5, \(hitReward)")
        #expect(hitReward > floorReward)
        let respawned = point(lifted.simulation.mocapPos, 0)
        let r = (respawned.x * respawned.x + respawned.y * respawned.y).squareRoot()
        #expect(respawned != target && r >= 0.11 && r <= 1.11 && respawned.z >= 0 && respawned.z <= 0.8, "respawned at \(respawned)")
    }

    @Test func graspPaysMoreWithThePalmAboveTheObject() throws {
        var rng = testStream(4)
        var (above, hold) = try settledGrasp(palmX: 0, rng: &rng)
        let (near, _) = step(&above, hold, rng: &rng)
        var aside: MuJoCoEnvironment<Grasp>
        (aside, hold) = try settledGrasp(palmX: 0.8, rng: &rng)
        let (far, _) = step(&aside, hold, rng: &rng)
        // close-to-object: 0.1 dt / (1 + d / 0.1): 0.002 straight above, 0.1 dt / 9 at 0.8 m.
        #expect(abs(Double(near) - 0.002) < 3e-4, "above: \(near)")
        #expect(abs(Double(far) - 0.002 / 9) < 3e-4, "aside: \(far)")
        #expect(near > far)
    }

    @Test func aSeedReproducesATrajectory() throws {
        for name in ["fetch", "ur5e", "grasp"] {
            var a = testStream(5), b = testStream(5), c = testStream(5)
            let first = play(try make(name, count: 2, seed: 21), steps: 40, rng: &a)
            let second = play(try make(name, count: 2, seed: 21), steps: 40, rng: &b)
            let other = play(try make(name, count: 2, seed: 22), steps: 40, rng: &c)
            #expect(first == second, "\(name)")
            #expect(first != other, "\(name): another seed differs")
        }
    }

    @Test func snapshotRestoresTargetsAndPhysics() throws {
        for name in ["fetch", "grasp"] {
            let env = try make(name, count: 2, seed: 7)
            var rng = testStream(6)
            _ = play(env, steps: 20, rng: &rng)
            let snapshot = try env.encodedSnapshot()
            var continued = rng
            let expected = play(env, steps: 20, rng: &continued)
            let restored = try make(name, count: 2, seed: 99)
            try restored.restore(encodedSnapshot: snapshot)
            #expect(play(restored, steps: 20, rng: &rng) == expected, "\(name)")
        }
    }

    @Test func observationsStayFiniteUnderRandomActions() throws {
        for name in ["fetch", "ur5e", "grasp"] {
            let env = try make(name, count: 2, seed: 3)
            var rng = testStream(7)
            guard case let .continuous(dim, low, high) = env.actionSpace else { Issue.record("\(name)"); continue }
            var diverged = 0
            for _ in 0..<200 {
                env.step(actions: (0..<(2 * dim)).map { _ in rng.uniform(low, high) })
                let finite = Array(env.observations).allSatisfy { $0.isFinite } && Array(env.rewards).allSatisfy { $0.isFinite }
                #expect(finite, "\(name)")
                diverged += env.terminated.filter { $0 }.count
            }
            #expect(diverged == 0, "\(name): no task terminates, so no episode may end early")
        }
    }
}
