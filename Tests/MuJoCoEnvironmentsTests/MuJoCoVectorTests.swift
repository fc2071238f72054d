import Environments
import Foundation
import MuJoCoEnvironments
import Tensors
import Testing
import TestSupport

/// Batched MuJoCo tasks: reproducibility, parallel = serial, bit-identical snapshots,
/// truncation at the episode limit.
@Suite struct MuJoCoVectorTests {
    func make(_ name: String, count: Int, seed: UInt64, parallelism: Int) throws -> ContinuousEnvironmentBatch {
        let entry = try #require(MuJoCoCatalog.entries.first { $0.name == name })
        return try #require(try entry.make(count, seed, EnvironmentConfiguration(parallelism: parallelism)) as? ContinuousEnvironmentBatch)
    }

    /// Plays `steps` random actions drawn from `rng`; returns every observation and reward.
    func play(_ env: ContinuousEnvironmentBatch, steps: Int, rng: inout RandomStream) -> [Float] {
        guard case let .continuous(dim, low, high) = env.actionSpace else { return [] }
        var trace: [Float] = []
        for _ in 0..<steps {
            let actions = (0..<(env.count * dim)).map { _ in rng.uniform(low, high) }
            env.step(actions: actions)
            trace += env.observations
            trace += env.rewards
            trace += env.terminated.map { $0 ? 1 : 0 }
        }
        return trace
    }

    @Test func aSeedReproducesATrajectoryExactly() throws {
        for name in ["hopper", "ant"] {
            var a = testStream(0), b = testStream(0)
            let first = play(try make(name, count: 4, seed: 11, parallelism: 1), steps: 120, rng: &a)
            let second = play(try make(name, count: 4, seed: 11, parallelism: 1), steps: 120, rng: &b)
            #expect(first == second, "\(name): \(zip(first, second).filter { $0 != $1 }.count) values differ")
            var c = testStream(0)
            let other = play(try make(name, count: 4, seed: 12, parallelism: 1), steps: 120, rng: &c)
            #expect(first.count == other.count && first != other, "\(name): another seed differs")
        }
    }

    @Test func parallelSteppingEqualsSerialStepping() throws {
        for name in ["halfcheetah", "walker2d"] {
            var a = testStream(1), b = testStream(1)
            let serial = play(try make(name, count: 16, seed: 3, parallelism: 1), steps: 60, rng: &a)
            let parallel = play(try make(name, count: 16, seed: 3, parallelism: 2), steps: 60, rng: &b)
            #expect(serial == parallel, "\(name): \(zip(serial, parallel).filter { $0 != $1 }.count) values differ")
        }
    }

    @Test func snapshotResumesBitIdentically() throws {
        for name in ["ant", "reacher"] {
            let env = try make(name, count: 3, seed: 5, parallelism: 1)
            var rng = testStream(2)
            _ = play(env, steps: 40, rng: &rng)
            let snapshot = try env.encodedSnapshot()
            #expect(String(decoding: snapshot, as: UTF8.self).contains("\"model\":\"\(name)\""),
                    "shipped models are saved by name, so checkpoints move with the package")
            var continued = rng
            let expected = play(env, steps: 40, rng: &continued)
            let restored = try make(name, count: 3, seed: 99, parallelism: 1)
            try restored.restore(encodedSnapshot: snapshot)
            let got = play(restored, steps: 40, rng: &rng)
            let differing = zip(got, expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(got.count == expected.count && differing.isEmpty, "\(name): \(differing.count) values differ, first at \(differing.first ?? -1)")
        }
    }

    @Test func simulationStateRoundTripsAndContinuesIdentically() throws {
        for name in ["ant", "hopper", "halfcheetah"] {
            let model = try MuJoCoModelLibrary.shared.model(named: name)
            let a = MuJoCoSimulation(model: model), b = MuJoCoSimulation(model: model)
            a.reset()
            a.qpos[0] += 0.01
            a.forward()
            for k in a.ctrl.indices { a.ctrl[k] = 0.3 }
            a.step(frames: 20, contactForces: false)
            try b.restore(a.state)
            #expect(b.state == a.state, "\(name): the solver's warm start survives the forward pass of restore")
            a.step(frames: 3, contactForces: false)
            b.step(frames: 3, contactForces: false)
            #expect(b.state == a.state, "\(name)")
        }
    }

    @Test func fastResetMatchesMuJoCosReset() throws {
        for name in ["ant", "hopper", "fetch", "grasp"] {
            let model = try MuJoCoModelLibrary.shared.model(named: name)
            let fast = MuJoCoSimulation(model: model), full = MuJoCoSimulation(model: model)
            for simulation in [fast, full] {
                for k in simulation.ctrl.indices { simulation.ctrl[k] = 0.5 }
                simulation.step(frames: 30, contactForces: false)
            }
            fast.reset()
            full.resetCompletely()
            #expect(fast.state == full.state, "\(name)")
            for simulation in [fast, full] {
                for k in simulation.ctrl.indices { simulation.ctrl[k] = -0.3 }
                simulation.step(frames: 10, contactForces: false)
            }
            #expect(fast.state == full.state, "\(name): the next steps agree too")
        }
    }

    @Test func reacherEpisodesAreTruncatedAtFiftySteps() throws {
        let env = try make("reacher", count: 2, seed: 0, parallelism: 1)
        var rng = testStream(3)
        _ = play(env, steps: 49, rng: &rng)
        #expect(!env.truncated.contains(true))
        _ = play(env, steps: 1, rng: &rng)
        #expect(env.truncated.allSatisfy { $0 } && !env.terminated.contains(true))
        let episodes = env.drainEpisodes()
        #expect(episodes.count == 2 && episodes.allSatisfy { $0.length == 50 && $0.truncated })
    }
}
