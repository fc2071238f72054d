import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

/// A cell of a MinAtar observation.
private struct Cell: Hashable {
    var y: Int, x: Int, channel: Int
}

private func activeCells(_ game: SpaceInvaders) -> Set<Cell> {
    var cells = Set<Cell>()
    game.forEachActiveCell { y, x, c in cells.insert(Cell(y: y, x: x, channel: c)) }
    return cells
}

private func cells(_ set: SpaceInvaders.CellSet) -> Set<[Int]> {
    var result = Set<[Int]>()
    set.forEach { y, x in result.insert([y, x]) }
    return result
}

private func cellSet(_ cells: [(Int, Int)]) -> SpaceInvaders.CellSet {
    var set = SpaceInvaders.CellSet()
    for (y, x) in cells { set.insert(y: y, x: x) }
    return set
}

/// Dodges the only bullet that can hit next step: one on row 8 above the cannon.
private func dodge(_ game: SpaceInvaders) -> MinAtarAction {
    guard game.enemyBullets.contains(y: 8, x: game.position) else { return .noop }
    return game.position > 0 ? .left : .right
}

@Suite("SpaceInvaders rules")
struct SpaceInvadersTests {
    @Test("reset: 24 aliens in rows 0-3 x cols 2-7 marching left, cannon at (9, 5)")
    func resetState() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        #expect(game.aliens.count == 24)
        var expected = Set<Cell>([Cell(y: 9, x: 5, channel: 0)])
        for y in 0..<4 {
            for x in 2..<8 {
                expected.insert(Cell(y: y, x: x, channel: 1))
                expected.insert(Cell(y: y, x: x, channel: 2))
            }
        }
        #expect(activeCells(game) == expected)
        #expect(SpaceInvaders.channelCount == 6)
    }

    @Test("bitboard shifts drop cells that leave the grid")
    func cellSetShifts() {
        var set = cellSet([(0, 0), (5, 9), (9, 3), (6, 4)])
        set.moveRowsDown()
        #expect(cells(set) == [[1, 0], [6, 9], [7, 4]])
        set.moveColumnsRight()
        #expect(cells(set) == [[1, 1], [7, 5]])
        set.moveColumnsLeft()
        #expect(cells(set) == [[1, 0], [7, 4]])
        set.moveColumnsLeft()
        #expect(cells(set) == [[7, 3]])
        set.moveRowsUp()
        set.moveRowsUp()
        #expect(cells(set) == [[5, 3]])
        #expect(set.hasCell(inColumn: 3) && !set.hasCell(inColumn: 4))
        #expect(set.hasCell(inRow: 5) && !set.hasCell(inRow: 9))
    }

    @Test("enemy bullets at step 11 then every 10; alien moves at 13, 25, 37, 49")
    func timings() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        var shotSteps: [Int] = []
        var moveSteps: [Int] = []
        for t in 1...55 {
            let before = game.aliens
            let (_, terminal) = game.step(dodge(game), rng: &rng)
            #expect(!terminal)
            // A new bullet sits on the alien that fired it; older ones have fallen below.
            if !game.enemyBullets.intersection(game.aliens).isEmpty { shotSteps.append(t) }
            if game.aliens != before { moveSteps.append(t) }
        }
        #expect(shotSteps == [11, 21, 31, 41, 51])
        #expect(moveSteps == [13, 25, 37, 49])
    }

    @Test("first alien move is one column left at step 13")
    func firstMove() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        for _ in 1...12 { _ = game.step(.noop, rng: &rng) }
        #expect(game.aliens == SpaceInvaders.CellSet.wave)
        _ = game.step(.noop, rng: &rng)
        var shifted = SpaceInvaders.CellSet.wave
        shifted.moveColumnsLeft()
        #expect(game.aliens == shifted)
    }

    @Test("with n aliens left they move every min(n, interval) steps", arguments: [1, 3, 5])
    func moveInterval(n: Int) {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        game.aliens = cellSet((0..<n).map { (0, 3 + $0) })
        game.alienDirection = 1
        game.alienMoveTimer = 0
        game.alienShotTimer = 100
        var moveSteps: [Int] = []
        for t in 1...(2 * n + 1) {
            let before = game.aliens
            _ = game.step(.noop, rng: &rng)
            if game.aliens != before { moveSteps.append(t) }
        }
        #expect(moveSteps == [1, 1 + n, 1 + 2 * n])
    }

    @Test("enemy bullet hits the cannon's new column, not its old one")
    func bulletHitUsesNewPosition() {
        var rng = testStream()
        func game(position: Int) -> SpaceInvaders {
            var g = SpaceInvaders(ramping: true)
            g.reset(rng: &rng)
            g.position = position
            g.enemyBullets = cellSet([(8, 5)])
            return g
        }
        var stays = game(position: 5)
        #expect(stays.step(.noop, rng: &rng).terminal)
        var escapes = game(position: 5)
        #expect(!escapes.step(.left, rng: &rng).terminal)
        var walksIn = game(position: 4)
        #expect(walksIn.step(.right, rng: &rng).terminal)
        // Left to itself, the first bullet (fired at step 11 from (3, 5)) lands at step 17.
        var idle = SpaceInvaders(ramping: true)
        idle.reset(rng: &rng)
        for _ in 1...16 { #expect(!idle.step(.noop, rng: &rng).terminal) }
        #expect(idle.step(.noop, rng: &rng).terminal)
        #expect(idle.step(.noop, rng: &rng) == (0, true))
    }

    @Test("an alien reaching the bottom row ends the episode")
    func aliensReachBottom() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        // Drops onto the cannon at the left wall.
        game.aliens = cellSet([(8, 0)])
        game.alienMoveTimer = 0
        game.position = 0
        #expect(game.step(.noop, rng: &rng).terminal)
        // Drops to row 9 away from the cannon: not yet over.
        game.reset(rng: &rng)
        game.aliens = cellSet([(8, 0)])
        game.alienMoveTimer = 0
        #expect(!game.step(.noop, rng: &rng).terminal)
        #expect(cells(game.aliens) == [[9, 0]])
        #expect(game.alienDirection == 1)
        // Must drop again from row 9: over.
        game.reset(rng: &rng)
        game.aliens = cellSet([(9, 0)])
        game.alienMoveTimer = 0
        #expect(game.step(.noop, rng: &rng).terminal)
        // Already on the cannon's cell.
        game.reset(rng: &rng)
        game.aliens = cellSet([(9, 5)])
        #expect(game.step(.noop, rng: &rng).terminal)
    }

    @Test("a shot fired at step 1 from column 5 kills alien (3, 5) at step 6 for +1")
    func shootingAlien() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        var rewards: [Float] = []
        rewards.append(game.step(.fire, rng: &rng).reward)
        #expect(cells(game.friendlyBullets) == [[8, 5]])
        #expect(game.shotTimer == 4)
        // Fire during the cooldown neither shoots nor moves.
        rewards.append(game.step(.fire, rng: &rng).reward)
        #expect(cells(game.friendlyBullets) == [[7, 5]])
        #expect(game.position == 5)
        for _ in 3...6 { rewards.append(game.step(.noop, rng: &rng).reward) }
        #expect(rewards == [0, 0, 0, 0, 0, 1])
        #expect(game.aliens.count == 23)
        #expect(!game.aliens.contains(y: 3, x: 5))
        #expect(game.friendlyBullets.isEmpty)
    }

    @Test("nearest alien column fires (ties to the lower column) from its bottom alien")
    func shooterChoice() {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        game.aliens = cellSet([(0, 3), (2, 3), (1, 7), (3, 7), (0, 9)])
        game.alienShotTimer = 0
        _ = game.step(.noop, rng: &rng)
        #expect(cells(game.enemyBullets) == [[2, 3]])
        game.aliens = cellSet([(0, 3), (2, 3), (1, 6), (3, 6)])
        game.enemyBullets = .init()
        game.alienShotTimer = 0
        _ = game.step(.noop, rng: &rng)
        #expect(cells(game.enemyBullets) == [[3, 6]])
    }

    @Test("clearing a wave refills it and ramps the move interval, keeping direction and timers")
    func waveRefill() {
        var rng = testStream()
        for ramping in [true, false] {
            var game = SpaceInvaders(ramping: ramping)
            game.reset(rng: &rng)
            game.aliens = cellSet([(3, 5)])
            game.friendlyBullets = cellSet([(4, 5)])
            game.alienDirection = 1
            game.alienMoveTimer = 5
            game.alienShotTimer = 7
            let (reward, terminal) = game.step(.noop, rng: &rng)
            #expect(reward == 1 && !terminal)
            #expect(game.aliens == SpaceInvaders.CellSet.wave)
            #expect(game.enemyMoveInterval == (ramping ? 11 : 12))
            #expect(game.rampIndex == (ramping ? 1 : 0))
            #expect(game.alienDirection == 1)
            #expect(game.alienMoveTimer == 4 && game.alienShotTimer == 6)
        }
        // The interval never ramps below 6.
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        game.enemyMoveInterval = 6
        game.aliens = cellSet([(3, 5)])
        game.friendlyBullets = cellSet([(4, 5)])
        _ = game.step(.noop, rng: &rng)
        #expect(game.enemyMoveInterval == 6 && game.aliens.count == 24)
    }

    @Test("state round-trips through Codable mid-episode")
    func codableRoundTrip() throws {
        var rng = testStream()
        var game = SpaceInvaders(ramping: true)
        game.reset(rng: &rng)
        for t in 0..<30 { _ = game.step(t % 7 == 0 ? .fire : dodge(game), rng: &rng) }
        let decoded = try JSONDecoder().decode(SpaceInvaders.self, from: JSONEncoder().encode(game))
        #expect(decoded == game)
    }
}
