import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

/// A tiny continuous task for testing the continuous path: the state moves by the action's
/// sum plus a little noise, and the episode ends when |state| exceeds 3.
struct NoisyWalk: Environment {
    typealias Action = UnsafeBufferPointer<Float>
    var position: Float = 0
    var observationShape: [Int] { [2] }
    var actionSpace: ActionSpace { .continuous(dim: 2, low: -1, high: 1) }
    mutating func reset(rng: inout RandomStream) { position = rng.uniform(-0.5, 0.5) }
    mutating func step(_ action: UnsafeBufferPointer<Float>, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        position += action[0] + action[1] + 0.01 * rng.normalFloat()
        return (-abs(position), abs(position) > 3)
    }
    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = position
        buffer[1] = position * position
    }
}

@Suite struct VectorEnvironmentTests {
    func minAtar<G: MinAtarGame>(_: G.Type, count: Int, seed: UInt64 = 5, options: MinAtarOptions = MinAtarOptions(),
                                 parallelism: Int = 1, chunk: Int = 64) throws -> VectorEnvironment<MinAtarEnvironment<G>> {
        try VectorEnvironment(name: G.name, count: count, seed: seed, maxEpisodeSteps: options.maxEpisodeSteps,
                              parallelism: parallelism, minimumEnvironmentsPerTask: chunk,
                              make: { _ in try MinAtarEnvironment<G>(options: options) })
    }

    /// Random actions for `steps` steps of `count` environments.
    func actionPlan(count: Int, steps: Int, actions: Int, stream: Int = 0) -> [[Int32]] {
        var rng = testStream(stream)
        return (0..<steps).map { _ in (0..<count).map { _ in Int32(rng.integer(below: actions)) } }
    }

    /// Everything observable after each step of `plan` (final observations of ended episodes only).
    func trace(_ env: some DiscreteEnvironmentBatch, _ plan: [[Int32]]) -> [[Float]] {
        plan.map { actions in
            env.step(actions: actions)
            var row = Array(env.observations) + Array(env.rewards) + env.terminated.map { $0 ? 1 : 0 }
                + env.truncated.map { $0 ? 1 : 0 }
            for i in 0..<env.count where env.terminated[i] || env.truncated[i] {
                row += env.finalObservations[(i * env.observationSize)..<((i + 1) * env.observationSize)]
            }
            return row
        }
    }

    @Test func sameSeedReproducesEverythingAndDifferentSeedDiffers() throws {
        let plan = actionPlan(count: 8, steps: 200, actions: 6)
        let a = try minAtar(Asterix.self, count: 8, seed: 11)
        let b = try minAtar(Asterix.self, count: 8, seed: 11)
        let c = try minAtar(Asterix.self, count: 8, seed: 12)
        let ta = trace(a, plan)
        let same = ta == trace(b, plan)
        let differs = ta != trace(c, plan)
        #expect(same && differs)
        #expect(a.drainEpisodes() == b.drainEpisodes())
    }

    @Test func environmentsDependOnlyOnTheirOwnStream() throws {
        // Environment i of a batch of 4 evolves exactly like a lone environment on stream i.
        let plan = actionPlan(count: 4, steps: 300, actions: 6)
        let batch = try minAtar(Breakout.self, count: 4, seed: 3)
        #expect(Set((0..<4).map { batch.stream($0).stream }).count == 4)
        var lone = (0..<4).map { _ in try! MinAtarEnvironment<Breakout>(options: MinAtarOptions()) }
        var streams = (0..<4).map { RandomStream(seed: 3, stream: StreamID.make(.environment, $0)) }
        for i in 0..<4 { lone[i].reset(rng: &streams[i]) }
        for actions in plan {
            batch.step(actions: actions)
            for i in 0..<4 {
                if lone[i].step(Int(actions[i]), rng: &streams[i]).terminated { lone[i].reset(rng: &streams[i]) }
                let same = Array(batch.observations[(i * 400)..<((i + 1) * 400)]) == denseObservation(lone[i])
                #expect(same, "environment \(i)")
            }
        }
        // Different streams give different games: the ball's starting sides are not all equal.
        let many = try minAtar(Breakout.self, count: 32, seed: 3)
        #expect(Set((0..<32).map { many.environment($0).game.ballX }).count == 2)
    }

    @Test func terminatedAndTruncatedAreSeparateWithFinalObservations() throws {
        // Breakout under no-ops: a ball starting at x = 0 is missed at step 6 (terminated); one
        // starting at x = 9 bounces off the paddle at step 6, which the limit of 6 truncates.
        let options = MinAtarOptions(stickyActionProbability: 0, maxEpisodeSteps: 6)
        let env = try minAtar(Breakout.self, count: 16, options: options)
        let startX = (0..<16).map { env.environment($0).game.ballX }
        #expect(Set(startX).count == 2)
        let noops = [Int32](repeating: 0, count: 16)
        for _ in 0..<5 {
            var before = (0..<16).map { env.environment($0) }
            var streams = (0..<16).map { env.stream($0) }
            env.step(actions: noops)
            #expect(!env.terminated.contains(true) && !env.truncated.contains(true))
            for i in 0..<16 { _ = before[i].step(0, rng: &streams[i]) }
        }
        var before = (0..<16).map { env.environment($0) }
        var streams = (0..<16).map { env.stream($0) }
        env.step(actions: noops)
        for i in 0..<16 {
            #expect(env.terminated[i] == (startX[i] == 0))
            #expect(env.truncated[i] == (startX[i] == 9))
            // The final observation is the pre-reset one; the current one is the new episode's first.
            _ = before[i].step(0, rng: &streams[i])
            let finalMatches = Array(env.finalObservations[(i * 400)..<((i + 1) * 400)]) == denseObservation(before[i])
            #expect(finalMatches)
            var fresh = before[i]
            fresh.reset(rng: &streams[i])
            let currentMatches = Array(env.observations[(i * 400)..<((i + 1) * 400)]) == denseObservation(fresh)
            #expect(currentMatches)
            #expect(env.stream(i) == streams[i])
        }
        let episodes = env.drainEpisodes()
        #expect(episodes.count == 16 && episodes.map(\.environment) == Array(0..<16))
        #expect(episodes.allSatisfy { $0.length == 6 && $0.episodeReturn == 0 && $0.truncated == (startX[$0.environment] == 9) })
        #expect(env.drainEpisodes().isEmpty)
    }

    @Test func freewayEndsAt2501StepsOriginallyAndIsTruncatedAt2500UnderGymnax() throws {
        let original = try minAtar(Freeway.self, count: 1, options: MinAtarConvention.original.options(forGame: "freeway"))
        let gymnax = try minAtar(Freeway.self, count: 1, options: MinAtarConvention.gymnax.options(forGame: "freeway"))
        var originalEnd = 0, gymnaxEnd = 0
        for step in 1...2501 {
            original.step(actions: [0])
            gymnax.step(actions: [0])
            if original.terminated[0] || original.truncated[0] { originalEnd = step; #expect(original.terminated[0]) }
            if gymnax.terminated[0] || gymnax.truncated[0], gymnaxEnd == 0 {
                gymnaxEnd = step
                #expect(gymnax.truncated[0] && !gymnax.terminated[0])
            }
        }
        #expect(originalEnd == 2501 && gymnaxEnd == 2500)
        #expect(original.drainEpisodes().map(\.length) == [2501])
        #expect(gymnax.drainEpisodes().map(\.length) == [2500])
    }

    @Test func episodeStatisticsSumRewards() throws {
        let env = try minAtar(Breakout.self, count: 4, seed: 9)
        var returns = [Double](repeating: 0, count: 4)
        var lengths = [Int](repeating: 0, count: 4)
        var expected: [EpisodeStatistics] = []
        for actions in actionPlan(count: 4, steps: 400, actions: 6) {
            env.step(actions: actions)
            for i in 0..<4 {
                returns[i] += Double(env.rewards[i])
                lengths[i] += 1
                if env.terminated[i] || env.truncated[i] {
                    expected.append(EpisodeStatistics(environment: i, episodeReturn: returns[i], length: lengths[i],
                                                      truncated: env.truncated[i]))
                    returns[i] = 0
                    lengths[i] = 0
                }
            }
        }
        #expect(!expected.isEmpty)
        #expect(env.drainEpisodes() == expected)
        #expect(env.totalSteps == 1600)
    }

    @Test func parallelSteppingEqualsSerial() throws {
        let count = 96
        let plan = actionPlan(count: count, steps: 150, actions: 6, stream: 4)
        let serial = try minAtar(Asterix.self, count: count, seed: 21, parallelism: 1)
        let parallel = try minAtar(Asterix.self, count: count, seed: 21, parallelism: 4, chunk: 8)
        let same = trace(serial, plan) == trace(parallel, plan)
        #expect(same)
        #expect(serial.drainEpisodes() == parallel.drainEpisodes())
        #expect(try serial.encodedSnapshot() == parallel.encodedSnapshot())
    }

    @Test func snapshotRestoreContinuesIdentically() throws {
        let plan = actionPlan(count: 6, steps: 300, actions: 6)
        let env = try minAtar(Asterix.self, count: 6, seed: 2)
        _ = trace(env, Array(plan[0..<100]))
        let snapshot = try env.encodedSnapshot()
        let continued = trace(env, Array(plan[100...]))
        let continuedEpisodes = env.drainEpisodes()

        let resumed = try minAtar(Asterix.self, count: 6, seed: 999)
        try resumed.restore(encodedSnapshot: snapshot)
        #expect(resumed.totalSteps == 600)
        let same = trace(resumed, Array(plan[100...])) == continued
        #expect(same)
        #expect(resumed.drainEpisodes() == continuedEpisodes)
        #expect(try resumed.encodedSnapshot() == env.encodedSnapshot())
    }

    @Test func snapshotMismatchesThrow() throws {
        let breakout = try minAtar(Breakout.self, count: 4)
        let snapshot = try breakout.encodedSnapshot()
        #expect(throws: EnvironmentError.self) { try minAtar(Asterix.self, count: 4).restore(encodedSnapshot: snapshot) }
        #expect(throws: EnvironmentError.self) { try minAtar(Breakout.self, count: 5).restore(encodedSnapshot: snapshot) }
        #expect(throws: EnvironmentError.self) {
            try minAtar(Breakout.self, count: 4, options: MinAtarOptions(maxEpisodeSteps: 10)).restore(encodedSnapshot: snapshot)
        }
        #expect(throws: EnvironmentError.self) { try breakout.restore(encodedSnapshot: Data("{}".utf8)) }
    }

    @Test func sparseObservationsMatchDenseRows() throws {
        let env = try minAtar(Freeway.self, count: 5)
        var indices = [Int32](repeating: 0, count: 5 * env.maximumActiveCells)
        var offsets = [Int32](repeating: 0, count: 6)
        for actions in actionPlan(count: 5, steps: 30, actions: 6) {
            env.step(actions: actions)
            let total = indices.withUnsafeMutableBufferPointer { i in
                offsets.withUnsafeMutableBufferPointer { o in env.writeSparseObservations(indices: i, rowOffsets: o) }
            }
            #expect(Int(offsets[5]) == total && offsets[0] == 0)
            for row in 0..<5 {
                let dense = Array(env.observations[(row * 700)..<((row + 1) * 700)])
                let sparse = Set(indices[Int(offsets[row])..<Int(offsets[row + 1])].map(Int.init))
                #expect(sparse == Set(dense.indices.filter { dense[$0] == 1 }))
            }
        }
    }

    @Test func continuousActionsReachTheirOwnRows() throws {
        let env = try VectorEnvironment(name: "noisy-walk", count: 3, seed: 1, maxEpisodeSteps: 50,
                                        make: { _ in NoisyWalk() })
        let erased: any EnvironmentBatch = env
        #expect(erased is ContinuousEnvironmentBatch && !(erased is DiscreteEnvironmentBatch) && !(erased is GridEnvironmentBatch))
        let start = (0..<3).map { env.environment($0).position }
        env.step(actions: [0.5, 0.25, -1, 0, 0, 0])
        let moved = (0..<3).map { env.environment($0).position - start[$0] }
        #expect(abs(moved[0] - 0.75) < 0.1 && abs(moved[1] + 1) < 0.1 && abs(moved[2]) < 0.1)
        #expect(env.observations[0] == env.environment(0).position && env.observations[2] == env.environment(1).position)
        #expect(env.actionSpace == .continuous(dim: 2, low: -1, high: 1) && env.observationSize == 2)
    }

    @Test func invalidConstructionThrows() {
        #expect(throws: EnvironmentError.self) { try minAtar(Breakout.self, count: 0) }
        #expect(throws: EnvironmentError.self) {
            try VectorEnvironment(name: "noisy-walk", count: 2, seed: 1, maxEpisodeSteps: 0, make: { _ in NoisyWalk() })
        }
    }
}

@Suite struct SnapshotOptionTests {
    @Test func snapshotUnderOtherActionSetIsRejected() throws {
        let full = try EnvironmentEntry.minAtar(Breakout.self).make(2, 0,
                                               EnvironmentConfiguration(convention: .original, parallelism: 1))
        var minimalOptions = MinAtarConvention.original.options(forGame: "breakout")
        minimalOptions.actionSet = .minimal
        let minimal = try EnvironmentEntry.minAtar(Breakout.self).make(2, 0,
                                                  EnvironmentConfiguration(minAtarOptions: minimalOptions, parallelism: 1))
        #expect(throws: EnvironmentError.self) { try minimal.restore(encodedSnapshot: try full.encodedSnapshot()) }
    }
}

@Suite struct GridFrameTests {
    @Test func frameListsActiveChannelsPerCell() throws {
        let env = try EnvironmentEntry.minAtar(Breakout.self).make(1, 3, EnvironmentConfiguration())
        let grid = try #require(env as? GridEnvironmentBatch)
        let frame = grid.frame(of: 0)
        #expect(frame.count == 10 && frame.allSatisfy { $0.count == 10 })
        let ballX = (env as? VectorEnvironment<MinAtarEnvironment<Breakout>>)?.environment(0).game.ballX
        #expect(frame[9][4] == [0])
        #expect(frame[3][try #require(ballX)] == [1, 2, 3])
        #expect(frame[1].allSatisfy { $0 == [3] } && frame[5].allSatisfy { $0.isEmpty })
    }
}
