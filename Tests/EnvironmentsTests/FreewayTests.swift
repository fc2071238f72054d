import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

@Suite struct FreewayTests {
    func freshGame(stream: Int = 0) -> (Freeway, RandomStream) {
        var g = Freeway(ramping: true)
        var rng = testStream(stream)
        g.reset(rng: &rng)
        return (g, rng)
    }

    @Test func resetDrawsSpeedsOneToFiveAndBothDirections() {
        var magnitudes = Set<Int8>()
        var signs = Set<Int8>()
        for stream in 0..<16 {
            let (g, _) = freshGame(stream: stream)
            for i in 0..<8 {
                let s = g.carSpeed[i]
                #expect(g.carX[i] == 0 && g.carTimer[i] == abs(s) && (1...5).contains(abs(s)))
                magnitudes.insert(abs(s))
                signs.insert(s > 0 ? 1 : -1)
            }
            #expect(g.position == 9 && g.moveTimer == 3 && g.terminateTimer == 2500)
        }
        #expect(magnitudes == [1, 2, 3, 4, 5] && signs == [-1, 1])
    }

    @Test func firstFrameChannels() {
        let (g, _) = freshGame(stream: 2)
        var expected: Set<Int> = [(9 * 10 + 4) * 7 + 0]
        for i in 0..<8 {
            let s = Int(g.carSpeed[i])
            expected.insert(((i + 1) * 10 + 0) * 7 + 1)
            expected.insert(((i + 1) * 10 + (s > 0 ? 9 : 1)) * 7 + 1 + abs(s))
        }
        #expect(activeIndices(g) == expected)
    }

    @Test func episodeLasts2501Steps() {
        var (g, rng) = freshGame()
        var steps = 0
        var terminal = false
        while !terminal {
            terminal = g.step(.noop, rng: &rng).terminal
            steps += 1
            if steps > 3000 { break }
        }
        #expect(steps == 2501)
    }

    @Test func chickenFirstMovesAtStep4ThenEveryThreeSteps() {
        var (g, rng) = freshGame()
        g.carTimer = SIMD8(repeating: 100) // park the cars
        var positions: [Int] = []
        for _ in 1...10 {
            _ = g.step(.up, rng: &rng)
            positions.append(g.position)
        }
        #expect(positions == [9, 9, 9, 8, 8, 8, 7, 7, 7, 6])
    }

    @Test func crossingScoresAndRestartsAtRowNine() {
        var (g, rng) = freshGame()
        g.carTimer = SIMD8(repeating: 100)
        g.position = 1
        g.moveTimer = 0
        let (reward, terminal) = g.step(.up, rng: &rng)
        #expect(reward == 1 && !terminal && g.position == 9)
        // The cars were re-randomised before they moved: timers restarted at |speed| and were
        // then counted down once by the car loop of the same step; positions are kept.
        for i in 0..<8 { #expect(g.carTimer[i] == abs(g.carSpeed[i]) - 1 && g.carX[i] == 0) }
    }

    @Test func carWithSpeedKMovesEveryKPlusOneSteps() {
        for k in 1...5 {
            for direction in [-1, 1] {
                var (g, rng) = freshGame()
                g.carSpeed[0] = Int8(k * direction)
                g.carTimer[0] = Int8(k)
                g.carX[0] = 0
                var moves: [Int] = []
                var lastX = 0
                for step in 1...(3 * (k + 1)) {
                    _ = g.step(.noop, rng: &rng)
                    if Int(g.carX[0]) != lastX { moves.append(step) }
                    lastX = Int(g.carX[0])
                }
                #expect(moves == [k + 1, 2 * (k + 1), 3 * (k + 1)], "speed \(k * direction)")
                // Wrapping: left from 0 goes to 9; right goes 1, 2, 3.
                #expect(lastX == (direction > 0 ? 3 : 7))
            }
        }
    }

    @Test func carHittingTheChickenSendsItBack() {
        var (g, rng) = freshGame()
        g.carTimer = SIMD8(repeating: 100)
        g.position = 1
        g.carX[0] = 3
        g.carSpeed[0] = 2
        g.carTimer[0] = 0
        _ = g.step(.noop, rng: &rng)
        #expect(g.carX[0] == 4 && g.position == 9)
        // A car already in the chicken's cell also sends it back.
        var (h, rng2) = freshGame()
        h.carTimer = SIMD8(repeating: 100)
        h.carX[2] = 4
        h.position = 3
        _ = h.step(.noop, rng: &rng2)
        #expect(h.position == 9)
    }
}
