import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

@Suite struct MinAtarEnvironmentTests {
    @Test func stickyProbabilityOneRepeatsLastActionAcrossReset() throws {
        var env = try MinAtarEnvironment<Breakout>(options: MinAtarOptions(stickyActionProbability: 1))
        var rng = testStream()
        env.reset(rng: &rng)
        // last_action starts at no-op, so "right" is replaced by no-op forever.
        for _ in 0..<3 { _ = env.step(MinAtarAction.right.rawValue, rng: &rng) }
        #expect(env.game.paddleX == 4 && env.lastAction == .noop)
        env.lastAction = .right
        env.reset(rng: &rng)
        #expect(env.lastAction == .right)
        _ = env.step(MinAtarAction.left.rawValue, rng: &rng)
        #expect(env.game.paddleX == 5 && env.lastAction == .right)
    }

    @Test func stickyDrawHappensEveryStepEvenWithProbabilityZero() throws {
        var env = try MinAtarEnvironment<Breakout>(options: plainOptions)
        var rng = testStream()
        env.reset(rng: &rng)
        var expected = rng
        _ = expected.uniformFloat()
        _ = env.step(MinAtarAction.left.rawValue, rng: &rng)
        #expect(rng == expected) // Breakout itself draws nothing per step
        #expect(env.game.paddleX == 3 && env.lastAction == .left)
    }

    @Test func stickyProbabilityIsRespected() throws {
        // With p = 0.25, alternating left/right presses: a step repeats the previous game action
        // exactly when its sticky draw is below 0.25; count those against a replay of the draws.
        var env = try MinAtarEnvironment<Breakout>(options: MinAtarOptions(stickyActionProbability: 0.25))
        var rng = testStream()
        env.reset(rng: &rng)
        var repeats = 0
        let n = 2000
        for t in 0..<n {
            var probe = rng
            let u = probe.uniformFloat()
            let previous = env.lastAction
            let chosen: MinAtarAction = t % 2 == 0 ? .left : .right
            _ = env.step(chosen.rawValue, rng: &rng)
            #expect(env.lastAction == (Double(u) < 0.25 ? previous : chosen))
            if Double(u) < 0.25 { repeats += 1 }
            if env.game.terminal { env.reset(rng: &rng) }
        }
        let fraction = Double(repeats) / Double(n)
        #expect(abs(fraction - 0.25) < 4 * (0.25 * 0.75 / Double(n)).squareRoot())
    }

    @Test func minimalActionSetMapsAgentActions() throws {
        let options = MinAtarOptions(stickyActionProbability: 0, actionSet: .minimal)
        var breakout = try MinAtarEnvironment<Breakout>(options: options)
        #expect(breakout.actionSpace == .discrete(count: 3))
        var rng = testStream()
        breakout.reset(rng: &rng)
        _ = breakout.step(2, rng: &rng) // minimal [n, l, r]: 2 means right
        #expect(breakout.game.paddleX == 5 && breakout.lastAction == .right)
        _ = breakout.step(1, rng: &rng)
        #expect(breakout.game.paddleX == 4 && breakout.lastAction == .left)

        var freeway = try MinAtarEnvironment<Freeway>(options: options)
        freeway.reset(rng: &rng)
        _ = freeway.step(1, rng: &rng) // minimal [n, u, d]: 1 means up
        #expect(freeway.lastAction == .up)
        _ = freeway.step(2, rng: &rng)
        #expect(freeway.lastAction == .down)
        #expect(try MinAtarEnvironment<Asterix>(options: options).actionSpace == .discrete(count: 5))
        #expect(try MinAtarEnvironment<Asterix>(options: plainOptions).actionSpace == .discrete(count: 6))
    }

    @Test func stepOnTerminalGameReturnsZeroAndChangesNothing() throws {
        var env = try MinAtarEnvironment<Breakout>(options: plainOptions)
        var rng = testStream()
        env.reset(rng: &rng)
        env.game.ballX = 0; env.game.ballY = 8; env.game.ballDirection = 2; env.game.paddleX = 6
        #expect(env.step(0, rng: &rng).terminated)
        let game = try stateJSON(env.game)
        let observation = denseObservation(env)
        for action in 0..<6 {
            let (reward, terminated) = env.step(action, rng: &rng)
            #expect(reward == 0 && terminated)
        }
        #expect(try stateJSON(env.game) == game)
        #expect(denseObservation(env) == observation)
    }

    @Test func optionsValidation() {
        for p in [-0.1, 1.5, Double.nan] {
            #expect(throws: EnvironmentError.self) { try MinAtarEnvironment<Breakout>(options: MinAtarOptions(stickyActionProbability: p)) }
        }
        do {
            try MinAtarOptions(stickyActionProbability: 2).validate()
            Issue.record("probability 2 was accepted")
        } catch {
            #expect("\(error)".contains("stickyActionProbability"))
        }
        #expect(throws: EnvironmentError.self) { try MinAtarOptions(maxEpisodeSteps: 0).validate() }
        #expect(throws: Never.self) { try MinAtarOptions(stickyActionProbability: 1, maxEpisodeSteps: 1).validate() }
    }

    @Test func conventions() {
        let original = MinAtarConvention.original.options(forGame: "breakout")
        #expect(original == MinAtarOptions(stickyActionProbability: 0.1, actionSet: .full, ramping: true, maxEpisodeSteps: nil))
        let gymnax = MinAtarConvention.gymnax.options(forGame: "asterix")
        #expect(gymnax == MinAtarOptions(stickyActionProbability: 0, actionSet: .minimal, ramping: true, maxEpisodeSteps: 1000))
        #expect(MinAtarConvention.gymnax.options(forGame: "freeway").maxEpisodeSteps == 2500)
        #expect(MinAtarConvention.original.options(forGame: "freeway").maxEpisodeSteps == nil)
    }

    /// Dense and sparse observations agree over random play, for every game.
    func checkSparseMatchesDense<G: MinAtarGame>(_: G.Type) throws {
        var env = try MinAtarEnvironment<G>(options: MinAtarOptions())
        var rng = testStream(7)
        var actions = testStream(8)
        env.reset(rng: &rng)
        var indices = [Int32](repeating: -1, count: env.maximumActiveCells)
        for _ in 0..<300 {
            let dense = denseObservation(env)
            let count = indices.withUnsafeMutableBufferPointer { env.writeActiveIndices(into: $0) }
            let sparse = indices[0..<count].map(Int.init)
            #expect(Set(sparse).count == sparse.count)
            #expect(Set(sparse) == Set(dense.indices.filter { dense[$0] == 1 }))
            #expect(dense.allSatisfy { $0 == 0 || $0 == 1 })
            if env.step(actions.integer(below: 6), rng: &rng).terminated { env.reset(rng: &rng) }
        }
    }

    @Test func sparseObservationMatchesDense() throws {
        try checkSparseMatchesDense(Breakout.self)
        try checkSparseMatchesDense(Asterix.self)
        try checkSparseMatchesDense(Freeway.self)
    }

    @Test func environmentStateRoundTripsThroughCodable() throws {
        var env = try MinAtarEnvironment<Asterix>(options: MinAtarOptions())
        var rng = testStream()
        env.reset(rng: &rng)
        for t in 0..<40 { _ = env.step(t % 5, rng: &rng) }
        let decoded = try JSONDecoder().decode(MinAtarEnvironment<Asterix>.self, from: try stateJSON(env))
        #expect(try stateJSON(decoded) == stateJSON(env))
        var a = env, b = decoded, ra = rng, rb = rng
        for t in 0..<200 {
            let x = a.step(t % 6, rng: &ra), y = b.step(t % 6, rng: &rb)
            #expect(x == y)
            if x.terminated { break }
        }
        #expect(denseObservation(a) == denseObservation(b))
    }
}
