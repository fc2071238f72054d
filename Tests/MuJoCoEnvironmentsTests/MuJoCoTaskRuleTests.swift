import Environments
import Foundation
import MuJoCoEnvironments
import Tensors
import Testing
import TestSupport

/// Reward terms and termination on scripted states, and the reset-noise ranges.
@Suite struct MuJoCoTaskRuleTests {
    /// Steps `env` once with `action` (repeated to the action dimension).
    func step<T: MuJoCoTask>(_ env: inout MuJoCoEnvironment<T>, _ action: Float, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        let values = [Float](repeating: action, count: T.actionDimension)
        return values.withUnsafeBufferPointer { env.step($0, rng: &rng) }
    }

    /// A fresh environment at the model's reference state (no reset noise).
    func standing<T: MuJoCoTask>(_ task: T.Type) throws -> MuJoCoEnvironment<T> {
        let env = try MuJoCoEnvironment<T>()
        env.simulation.reset()
        env.simulation.forward()
        return env
    }

    @Test func standingAntEarnsTheHealthyRewardMinusControlCost() throws {
        var env = try standing(Ant.self)
        var rng = testStream(0)
        let torso = env.simulation.xpos[3]
        let (reward, terminated) = step(&env, 0.3, rng: &rng)
        #expect(!terminated)
        let velocity = (env.simulation.xpos[3] - torso) / Ant.stepDuration(env.simulation.model)
        var contact = 0.0
        for v in env.simulation.cfrcExt { let c = min(max(v, -1), 1); contact += c * c }
        let expected = velocity + 1 - 0.5 * 8 * 0.09 - 5e-4 * contact
        #expect(abs(Double(reward) - expected) < 1e-5, "reward \(reward), expected \(expected)")
        #expect(abs(velocity) < 0.5 && 5e-4 * contact < 0.05, "a standing ant barely moves: v \(velocity)")
        #expect(abs(Double(reward) - 0.64) < 0.5)
    }

    @Test func antTooHighOrTooLowIsUnhealthy() throws {
        var env = try standing(Ant.self)
        var rng = testStream(1)
        env.simulation.qpos[2] = 1.3
        env.simulation.forward()
        #expect(step(&env, 0, rng: &rng).terminated, "a torso thrown up to 1.3 m ends the episode")
        let probe = try standing(Ant.self)
        for (height, healthy) in [(0.15, false), (0.2, true), (0.6, true), (1.0, true), (1.05, false)] {
            probe.simulation.qpos[2] = height
            #expect(Ant.isHealthy(probe.simulation) == healthy, "torso at \(height)")
        }
        probe.simulation.qvel[0] = .nan
        probe.simulation.qpos[2] = 0.6
        #expect(!Ant.isHealthy(probe.simulation), "a non-finite state is unhealthy")
    }

    @Test func fallenHopperTerminatesAndLosesTheHealthyReward() throws {
        var upright = try standing(Hopper.self)
        var rng = testStream(2)
        let (uprightReward, uprightEnded) = step(&upright, 0, rng: &rng)
        #expect(!uprightEnded)
        #expect(uprightReward > 0.5, "healthy bonus paid: \(uprightReward)")
        for (index, value) in [(1, 0.6), (2, 0.35), (2, -0.35)] {
            var env = try standing(Hopper.self)
            env.simulation.qpos[index] = value
            env.simulation.forward()
            let (reward, terminated) = step(&env, 0, rng: &rng)
            #expect(terminated, "qpos[\(index)] = \(value)")
            #expect(abs(reward) < 0.9, "no healthy bonus when fallen: \(reward)")
        }
    }

    @Test func walkerOutsideItsHeightOrAngleTerminates() throws {
        var rng = testStream(3)
        var upright = try standing(Walker2d.self)
        #expect(!step(&upright, 0, rng: &rng).terminated)
        for (index, value) in [(1, 0.7), (1, 2.2), (2, 1.2)] {
            var env = try standing(Walker2d.self)
            env.simulation.qpos[index] = value
            env.simulation.forward()
            #expect(step(&env, 0, rng: &rng).terminated, "qpos[\(index)] = \(value)")
        }
    }

    @Test func halfCheetahRewardIsVelocityMinusControlCost() throws {
        var env = try standing(HalfCheetah.self)
        var rng = testStream(4)
        env.simulation.qvel[0] = 2
        env.simulation.forward()
        let x = env.simulation.qpos[0]
        let (reward, terminated) = step(&env, 0.5, rng: &rng)
        let velocity = (env.simulation.qpos[0] - x) / 0.05
        #expect(!terminated)
        #expect(abs(Double(reward) - (velocity - 0.1 * 6 * 0.25)) < 1e-5)
        #expect(velocity > 0.5, "pushed forwards: \(velocity)")
    }

    @Test func actionsAreClippedToTheControlRange() throws {
        var env = try standing(HalfCheetah.self)
        var rng = testStream(5)
        let (reward, _) = step(&env, 5, rng: &rng)
        #expect(env.simulation.ctrl.allSatisfy { $0 == 1 })
        let x = env.simulation.qpos[0]
        _ = x
        #expect(reward.isFinite)
        var pendulum = try standing(InvertedPendulum.self)
        _ = step(&pendulum, -10, rng: &rng)
        #expect(pendulum.simulation.ctrl[0] == -3)
    }

    @Test func invertedPendulumPaysOnePerUprightStepAndEndsPastTheAngle() throws {
        var rng = testStream(6)
        var upright = try standing(InvertedPendulum.self)
        #expect(step(&upright, 0, rng: &rng) == (1, false))
        var leaning = try standing(InvertedPendulum.self)
        leaning.simulation.qpos[1] = 0.25
        leaning.simulation.forward()
        #expect(step(&leaning, 0, rng: &rng) == (0, true))
    }

    @Test func humanoidFallenTerminatesAndStandingEarnsTheHealthyBonus() throws {
        var rng = testStream(7)
        var standingHumanoid = try standing(Humanoid.self)
        let (reward, terminated) = step(&standingHumanoid, 0, rng: &rng)
        #expect(!terminated)
        #expect(abs(reward - 5) < 1, "healthy 5 minus small costs: \(reward)")
        var fallen = try standing(Humanoid.self)
        fallen.simulation.qpos[2] = 0.8
        fallen.simulation.forward()
        #expect(step(&fallen, 0, rng: &rng).terminated)
    }

    @Test func reacherRewardIsMinusDistanceMinusControlCost() throws {
        var env = try MuJoCoEnvironment<Reacher>()
        var rng = testStream(8)
        env.reset(rng: &rng)
        let (reward, terminated) = step(&env, 0.5, rng: &rng)
        var observation = [Float](repeating: 0, count: 10)
        observation.withUnsafeMutableBufferPointer { env.writeObservation(into: $0) }
        let tip = try env.simulation.model.bodyID("fingertip"), target = try env.simulation.model.bodyID("target")
        let p = env.simulation.xpos
        let d = (0..<3).map { p[3 * tip + $0] - p[3 * target + $0] }
        let distance = d.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(!terminated)
        #expect(abs(Double(reward) - (-distance - 2 * 0.25)) < 1e-5)
        #expect(abs(Double(observation[8]) - d[0]) < 1e-6 && abs(Double(observation[9]) - d[1]) < 1e-6)
    }

    @Test func resetNoiseStaysInTheSpecifiedRange() throws {
        func deviations<T: MuJoCoTask>(_ task: T.Type, resets: Int, freeJoint: Bool = false) throws -> (qpos: [Double], qvel: [Double]) {
            var env = try MuJoCoEnvironment<T>()
            let q0 = env.simulation.model.referencePositions
            var rng = testStream(9)
            var dq: [Double] = [], dv: [Double] = []
            for _ in 0..<resets {
                env.reset(rng: &rng)
                // A free joint's quaternion (qpos[3..<7]) is renormalised by the forward pass.
                let linear = zip(env.simulation.qpos, q0).enumerated().filter { !(freeJoint && (3..<7).contains($0.offset)) }
                dq += linear.map { $0.element.0 - $0.element.1 }
                dv += Array(env.simulation.qvel)
            }
            return (dq, dv)
        }
        let ant = try deviations(Ant.self, resets: 200, freeJoint: true)
        #expect(ant.qpos.allSatisfy { abs($0) <= 0.1 } && ant.qpos.max()! > 0.09 && ant.qpos.min()! < -0.09)
        let sd = (ant.qvel.map { $0 * $0 }.reduce(0, +) / Double(ant.qvel.count)).squareRoot()
        #expect(abs(sd - 0.1) < 0.01, "ant qvel noise is 0.1 N(0,1): sd \(sd)")
        let hopper = try deviations(Hopper.self, resets: 200)
        #expect(hopper.qpos.allSatisfy { abs($0) <= 0.005 } && hopper.qvel.allSatisfy { abs($0) <= 0.005 })
        #expect(hopper.qpos.max()! > 0.0045 && hopper.qvel.min()! < -0.0045)
        let humanoid = try deviations(Humanoid.self, resets: 50, freeJoint: true)
        #expect(humanoid.qpos.allSatisfy { abs($0) <= 0.01 } && humanoid.qvel.allSatisfy { abs($0) <= 0.01 })
    }

    @Test func reacherTargetsLieInsideTheDisc() throws {
        var env = try MuJoCoEnvironment<Reacher>()
        var rng = testStream(10)
        for _ in 0..<300 {
            env.reset(rng: &rng)
            let q = env.simulation.qpos, v = env.simulation.qvel
            #expect((q[2] * q[2] + q[3] * q[3]).squareRoot() < 0.2)
            #expect(v[2] == 0 && v[3] == 0 && abs(v[0]) <= 0.005)
        }
    }
}
