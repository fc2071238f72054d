import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

@Suite struct AsterixTests {
    func freshGame(ramping: Bool = true, stream: Int = 0) -> (Asterix, RandomStream) {
        var g = Asterix(ramping: ramping)
        var rng = testStream(stream)
        g.reset(rng: &rng)
        return (g, rng)
    }

    /// Puts an entity in `slot` (row slot + 1) by hand.
    func place(_ g: inout Asterix, slot: Int, x: Int, right: Bool, gold: Bool) {
        let bit = UInt8(1) << UInt8(slot)
        g.activeSlots |= bit
        if right { g.movingRight |= bit } else { g.movingRight &= ~bit }
        if gold { g.goldSlots |= bit } else { g.goldSlots &= ~bit }
        g.entityX[slot] = Int8(x)
    }

    @Test func firstFrameIsThePlayerAlone() {
        let (g, _) = freshGame()
        #expect(activeIndices(g) == [(5 * 10 + 5) * 4 + 0])
    }

    @Test func firstSpawnAtStepEleven() {
        for stream in 0..<8 {
            var (g, rng) = freshGame(stream: stream)
            for step in 1...11 {
                _ = g.step(.noop, rng: &rng)
                #expect(g.activeSlots.nonzeroBitCount == (step < 11 ? 0 : 1), "step \(step)")
            }
            // A new entity starts at its edge and moves once in the same step (step 11 is a move step).
            let slot = g.activeSlots.trailingZeroBitCount
            let right = g.movingRight & (1 << UInt8(slot)) != 0
            #expect(Int(g.entityX[slot]) == (right ? 1 : 8))
        }
    }

    @Test func entitiesMoveAtSteps6And11And16() {
        var (g, rng) = freshGame()
        place(&g, slot: 0, x: 2, right: true, gold: true)
        var moves: [Int] = []
        var lastX = 2
        for step in 1...21 {
            _ = g.step(.noop, rng: &rng)
            let x = Int(g.entityX[0])
            if x != lastX { moves.append(step) }
            lastX = x
        }
        #expect(moves == [6, 11, 16, 21])
    }

    @Test func rampsAtEvery102StepsUntilBothSpeedsReachOne() {
        var (g, rng) = freshGame()
        var spawnDrops: [Int] = []
        var moveDrops: [Int] = []
        for step in 1...1200 {
            let (spawn, move) = (g.spawnSpeed, g.moveSpeed)
            _ = g.step(.noop, rng: &rng)
            g.activeSlots = 0 // keep the player alive; ramping does not depend on entities
            if g.spawnSpeed != spawn { spawnDrops.append(step) }
            if g.moveSpeed != move { moveDrops.append(step) }
        }
        #expect(spawnDrops == (1...9).map { 102 * $0 })
        // move_speed drops at ramps #2, #4, #6 and #8.
        #expect(moveDrops == [2, 4, 6, 8].map { 102 * $0 })
        #expect(g.spawnSpeed == 1 && g.moveSpeed == 1 && g.rampIndex == 9)
    }

    @Test func noRampingWithoutTheFlag() {
        var (g, rng) = freshGame(ramping: false)
        for _ in 0..<500 {
            _ = g.step(.noop, rng: &rng)
            g.activeSlots = 0
        }
        #expect(g.spawnSpeed == 10 && g.moveSpeed == 5)
    }

    @Test func playerCollectsGoldAndDiesOnEnemies() {
        var (g, rng) = freshGame()
        place(&g, slot: 4, x: 6, right: false, gold: true)
        let (reward, terminal) = g.step(.right, rng: &rng)
        #expect(reward == 1 && !terminal && g.activeSlots == 0 && g.playerX == 6)
        var (h, rng2) = freshGame()
        place(&h, slot: 4, x: 6, right: false, gold: false)
        let (r2, t2) = h.step(.right, rng: &rng2)
        #expect(r2 == 0 && t2)
    }

    @Test func entityMovingOntoPlayerCollides() {
        var (g, rng) = freshGame()
        g.moveTimer = 0
        place(&g, slot: 4, x: 6, right: false, gold: false)
        let (_, terminal) = g.step(.noop, rng: &rng)
        #expect(terminal && Int(g.entityX[4]) == 5)
        var (h, rng2) = freshGame()
        h.moveTimer = 0
        place(&h, slot: 4, x: 4, right: true, gold: true)
        let (reward, t2) = h.step(.noop, rng: &rng2)
        #expect(reward == 1 && !t2 && h.activeSlots == 0)
    }

    @Test func playerRowIsClampedToOneThroughEight() {
        var (g, rng) = freshGame()
        for _ in 0..<10 { _ = g.step(.up, rng: &rng); g.activeSlots = 0 }
        #expect(g.playerY == 1)
        for _ in 0..<10 { _ = g.step(.down, rng: &rng); g.activeSlots = 0 }
        #expect(g.playerY == 8)
    }

    @Test func entityLeavingGridIsRemoved() {
        var (g, rng) = freshGame()
        g.moveTimer = 0
        place(&g, slot: 0, x: 9, right: true, gold: false)
        place(&g, slot: 1, x: 0, right: false, gold: true)
        _ = g.step(.noop, rng: &rng)
        #expect(g.activeSlots == 0)
    }

    @Test func fullLanesConsumeTwoDrawsAndSpawnNothing() throws {
        var (g, rng) = freshGame()
        for slot in 0..<8 { place(&g, slot: slot, x: 0, right: true, gold: true) }
        g.spawnTimer = 0
        g.moveTimer = 3
        var expected = rng
        _ = expected.uniformFloat()
        _ = expected.uniformFloat()
        let before = (g.activeSlots, g.movingRight, g.goldSlots, g.entityX)
        _ = g.step(.noop, rng: &rng)
        #expect(rng == expected)
        #expect(before == (g.activeSlots, g.movingRight, g.goldSlots, g.entityX))
        #expect(g.spawnTimer == g.spawnSpeed - 1)
    }

    @Test func spawnFillsOnlyFreeLanes() {
        var (g, rng) = freshGame()
        for slot in 0..<8 where slot != 6 { place(&g, slot: slot, x: 5, right: true, gold: true) }
        g.spawnTimer = 0
        g.moveTimer = 3
        g.playerY = 8
        g.playerX = 0
        _ = g.step(.noop, rng: &rng)
        #expect(g.activeSlots == 0xFF)
        #expect([0, 9].contains(Int(g.entityX[6])))
    }

    @Test func trailIsBehindTheEntity() {
        var (g, _) = freshGame()
        place(&g, slot: 2, x: 4, right: true, gold: false)
        place(&g, slot: 3, x: 4, right: false, gold: true)
        place(&g, slot: 5, x: 0, right: true, gold: false)
        let cells = activeIndices(g)
        func index(_ y: Int, _ x: Int, _ c: Int) -> Int { (y * 10 + x) * 4 + c }
        #expect(cells == [index(5, 5, 0), index(3, 4, 1), index(3, 3, 2), index(4, 4, 3), index(4, 5, 2), index(6, 0, 1)])
    }
}
