import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

private struct Cell: Hashable {
    var y: Int, x: Int, channel: Int
}

private func activeCells(_ game: Seaquest) -> Set<Cell> {
    var cells = Set<Cell>()
    game.forEachActiveCell { y, x, c in cells.insert(Cell(y: y, x: x, channel: c)) }
    return cells
}

private func cells(_ game: Seaquest, channel: Int) -> Set<[Int]> {
    var result = Set<[Int]>()
    game.forEachActiveCell { y, x, c in if c == channel { result.insert([y, x]) } }
    return result
}

/// A freshly reset game whose spawn timers will not fire during a short test.
private func quietGame(rng: inout RandomStream) -> Seaquest {
    var game = Seaquest(ramping: true)
    game.reset(rng: &rng)
    game.enemySpawnTimer = 1000
    game.diverSpawnTimer = 1000
    return game
}

private typealias Mover = Seaquest.Mover
private typealias Bullet = Seaquest.Bullet

@Suite("Seaquest rules")
struct SeaquestTests {
    @Test("first frame: sub front (0, 5), back (0, 6), a full oxygen gauge, nothing else")
    func firstFrame() {
        var rng = testStream()
        var game = Seaquest(ramping: true)
        game.reset(rng: &rng)
        var expected: Set<Cell> = [Cell(y: 0, x: 5, channel: 0), Cell(y: 0, x: 6, channel: 1)]
        for x in 0..<10 { expected.insert(Cell(y: 9, x: x, channel: 7)) }
        #expect(activeCells(game) == expected)
        #expect(Seaquest.channelCount == 10)
        // Facing right puts the back on the left.
        _ = game.step(.right, rng: &rng)
        #expect(cells(game, channel: 0) == [[0, 6]] && cells(game, channel: 1) == [[0, 5]])
    }

    @Test("spawn draws at steps 21, 41, ... (enemies) and 31, 61, ... (divers), in order lr, is_sub, y")
    func spawnTimings() {
        var rng = testStream(3)
        var game = Seaquest(ramping: true)
        game.reset(rng: &rng)
        var drawSteps: [Int] = []
        // Idling at the surface is safe: nothing ever enters row 0.
        for t in 1...125 {
            let before = rng
            var predicted = rng
            let enemies = game.fish.count + game.subs.count
            let diversBefore = game.divers.count
            let (_, terminal) = game.step(.noop, rng: &rng)
            #expect(!terminal)
            if rng != before { drawSteps.append(t) }
            if t == 21 {
                let lr = predicted.uniformDouble() < 0.5
                let isSub = predicted.uniformDouble() < 1.0 / 3.0
                let y = predicted.integer(in: 1..<9)
                #expect(enemies == 0)
                let list = isSub ? game.subs : game.fish
                #expect(list == [Mover(x: lr ? 0 : 9, y: y, movesRight: lr, moveTimer: 4, shotTimer: isSub ? 9 : 0)])
                #expect(rng == predicted)
            }
            if t == 31 {
                let lr = predicted.uniformDouble() < 0.5
                let y = predicted.integer(in: 1..<9)
                #expect(diversBefore == 0)
                #expect(game.divers.last == Mover(x: lr ? 0 : 9, y: y, movesRight: lr, moveTimer: 4))
                #expect(rng == predicted)
            }
        }
        #expect(drawSteps == [21, 31, 41, 61, 81, 91, 101, 121])
    }

    @Test("fish, subs and divers move every move_speed + 1 steps", arguments: [5, 3])
    func movementPeriods(moveSpeed: Int) {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.moveSpeed = moveSpeed
        game.fish = [Mover(x: 9, y: 3, movesRight: false, moveTimer: 0)]
        game.subs = [Mover(x: 0, y: 5, movesRight: true, moveTimer: 0, shotTimer: 1000)]
        game.divers = [Mover(x: 0, y: 7, movesRight: true, moveTimer: 0)]
        var fishMoves: [Int] = [], subMoves: [Int] = [], diverMoves: [Int] = []
        for t in 1...13 {
            let (f, s, d) = (game.fish[0].x, game.subs[0].x, game.divers[0].x)
            _ = game.step(.noop, rng: &rng)
            if game.fish[0].x != f { fishMoves.append(t) }
            if game.subs[0].x != s { subMoves.append(t) }
            if game.divers[0].x != d { diverMoves.append(t) }
        }
        let period = moveSpeed + 1
        #expect(fishMoves == Array(stride(from: 1, through: 13, by: period)))
        #expect(subMoves == fishMoves)
        #expect(diverMoves == [1, 7, 13])
    }

    @Test("enemy subs fire every 11 steps")
    func subFiring() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.subs = [Mover(x: 9, y: 4, movesRight: false, moveTimer: 5, shotTimer: 0)]
        var fireSteps: [Int] = []
        for t in 1...30 {
            // Old bullets move one cell left per step; anything else was fired this step.
            let carried = game.enemyBullets.map { $0.x - 1 }
            _ = game.step(.noop, rng: &rng)
            if game.enemyBullets.contains(where: { !carried.contains($0.x) }) { fireSteps.append(t) }
        }
        #expect(fireSteps == [1, 12, 23])
    }

    @Test("a sub destroyed as it moves still fires")
    func removedSubFires() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.subs = [Mover(x: 6, y: 4, movesRight: false, moveTimer: 0, shotTimer: 0)]
        game.friendlyBullets = [Bullet(x: 6, y: 4, movesRight: false)]
        let (reward, terminal) = game.step(.noop, rng: &rng)
        #expect(reward == 1 && !terminal)
        #expect(game.subs.isEmpty && game.friendlyBullets.isEmpty)
        #expect(game.enemyBullets == [Bullet(x: 4, y: 4, movesRight: false)])
    }

    @Test("a bullet destroys the first fish on its cell before any sub; bullets go in reverse order")
    func bulletCollisions() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.fish = [Mover(x: 4, y: 3, movesRight: false, moveTimer: 2),
                     Mover(x: 4, y: 3, movesRight: false, moveTimer: 4)]
        game.subs = [Mover(x: 4, y: 3, movesRight: false, moveTimer: 4, shotTimer: 100)]
        game.friendlyBullets = [Bullet(x: 3, y: 3, movesRight: true)]
        #expect(game.step(.noop, rng: &rng).reward == 1)
        #expect(game.fish == [Mover(x: 4, y: 3, movesRight: false, moveTimer: 3)])
        #expect(game.subs.count == 1)
        // No fish there: the sub goes.
        game.fish = []
        game.friendlyBullets = [Bullet(x: 3, y: 3, movesRight: true)]
        #expect(game.step(.noop, rng: &rng).reward == 1)
        #expect(game.subs.isEmpty && game.friendlyBullets.isEmpty)
        // Two bullets converge on one fish: the later one in the list is processed first.
        game.fish = [Mover(x: 4, y: 3, movesRight: false, moveTimer: 4)]
        game.friendlyBullets = [Bullet(x: 3, y: 3, movesRight: true), Bullet(x: 5, y: 3, movesRight: false)]
        #expect(game.step(.noop, rng: &rng).reward == 1)
        #expect(game.fish.isEmpty)
        #expect(game.friendlyBullets == [Bullet(x: 4, y: 3, movesRight: true)])
    }

    @Test("divers are picked up only while fewer than six are aboard")
    func diverPickup() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.subY = 2
        game.surface = false
        game.diverCount = 5
        game.divers = [Mover(x: 5, y: 2, movesRight: true, moveTimer: 3),
                       Mover(x: 5, y: 2, movesRight: true, moveTimer: 3)]
        _ = game.step(.noop, rng: &rng)
        #expect(game.diverCount == 6)
        #expect(game.divers == [Mover(x: 5, y: 2, movesRight: true, moveTimer: 2)])
        // A diver walking onto the sub is picked up too.
        game.diverCount = 2
        game.divers = [Mover(x: 4, y: 2, movesRight: true, moveTimer: 0)]
        _ = game.step(.noop, rng: &rng)
        #expect(game.diverCount == 3 && game.divers.isEmpty)
    }

    @Test("oxygen falls by one per underwater step; at 0 the next step ends the episode")
    func oxygen() {
        var rng = testStream()
        var game = Seaquest(ramping: true)
        game.reset(rng: &rng)
        _ = game.step(.down, rng: &rng)
        #expect(game.oxygen == 199)
        _ = game.step(.noop, rng: &rng)
        #expect(game.oxygen == 198)
        game = quietGame(rng: &rng)
        game.subY = 3
        game.surface = false
        game.oxygen = 1
        #expect(!game.step(.noop, rng: &rng).terminal)
        #expect(game.oxygen == 0)
        #expect(game.step(.noop, rng: &rng).terminal)
    }

    @Test("surfacing with no diver ends the episode")
    func surfacingEmpty() {
        var rng = testStream()
        var game = Seaquest(ramping: true)
        game.reset(rng: &rng)
        #expect(!game.step(.down, rng: &rng).terminal)
        #expect(game.step(.up, rng: &rng).terminal)
    }

    @Test("surfacing: six divers pay oxygen*10//200 and leave -1; then surfacing without divers goes on")
    func surfacingQuirk() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.subY = 1
        game.surface = false
        game.diverCount = 6
        game.oxygen = 150
        var (reward, terminal) = game.step(.up, rng: &rng)
        #expect(reward == 7 && !terminal) // 150 * 10 / 200 = 7 (integer division)
        #expect(game.diverCount == -1 && game.oxygen == 200 && game.surface)
        // Ramp #1 (index 0 is even): spawn speed 20 -> 19, move speed stays 5.
        #expect(game.enemySpawnSpeed == 19 && game.moveSpeed == 5 && game.rampIndex == 1)
        _ = game.step(.down, rng: &rng)
        (reward, terminal) = game.step(.up, rng: &rng)
        #expect(reward == 0 && !terminal)
        #expect(game.diverCount == -2)
        // Ramp #2 (index 1 is odd): both speeds drop.
        #expect(game.enemySpawnSpeed == 18 && game.moveSpeed == 4 && game.rampIndex == 2)
        // Fewer than six divers: no bonus, one diver lost, oxygen refilled.
        game.diverCount = 3
        game.oxygen = 90
        _ = game.step(.down, rng: &rng)
        (reward, terminal) = game.step(.up, rng: &rng)
        #expect(reward == 0 && !terminal && game.diverCount == 2 && game.oxygen == 200)
    }

    @Test("an enemy does not spawn in a row where an enemy moves the other way; draws are consumed anyway")
    func spawnConflict() {
        var spawned = 0, skipped = 0
        for seed in 0..<16 {
            var rng = testStream(seed)
            var game = quietGame(rng: &rng)
            game.fish = (1...4).map { Mover(x: 5, y: $0, movesRight: false, moveTimer: 100) }
            game.subs = (5...8).map { Mover(x: 5, y: $0, movesRight: false, moveTimer: 100, shotTimer: 100) }
            game.enemySpawnTimer = 0
            var predicted = rng
            let lr = predicted.uniformDouble() < 0.5
            let isSub = predicted.uniformDouble() < 1.0 / 3.0
            let y = predicted.integer(in: 1..<9)
            _ = game.step(.noop, rng: &rng)
            #expect(rng == predicted)
            let count = game.fish.count + game.subs.count
            if lr {
                #expect(count == 8)
                skipped += 1
            } else {
                #expect(count == 9)
                let added = isSub ? game.subs.last : game.fish.last
                #expect(added?.x == 9 && added?.y == y && added?.movesRight == false)
                spawned += 1
            }
        }
        #expect(spawned > 0 && skipped > 0)
    }

    @Test("touching an enemy or an enemy bullet ends the episode")
    func enemyContact() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.subY = 3
        game.fish = [Mover(x: 6, y: 3, movesRight: false, moveTimer: 0)]
        #expect(game.step(.noop, rng: &rng).terminal)
        game = quietGame(rng: &rng)
        game.subY = 3
        game.enemyBullets = [Bullet(x: 6, y: 3, movesRight: false)]
        #expect(game.step(.noop, rng: &rng).terminal)
        #expect(game.step(.noop, rng: &rng) == (0, true))
    }

    @Test("gauges: oxygen cols 0..<oxygen*10/200, divers cols 9-count...8; trails behind movers")
    func gauges() {
        var rng = testStream()
        var game = quietGame(rng: &rng)
        game.oxygen = 57 // 57 * 10 / 200 = 2
        game.diverCount = 3
        #expect(cells(game, channel: 7) == [[9, 0], [9, 1]])
        #expect(cells(game, channel: 8) == [[9, 6], [9, 7], [9, 8]])
        game.oxygen = 9 // 9 * 10 / 200 = 0
        game.diverCount = -1
        #expect(cells(game, channel: 7).isEmpty && cells(game, channel: 8).isEmpty)
        game.oxygen = -3
        game.diverCount = 6
        #expect(cells(game, channel: 7).isEmpty)
        #expect(cells(game, channel: 8) == Set((3...8).map { [9, $0] }))
        game.fish = [Mover(x: 4, y: 5, movesRight: true, moveTimer: 1)]
        game.subs = [Mover(x: 9, y: 6, movesRight: false, moveTimer: 1)]
        game.divers = [Mover(x: 9, y: 2, movesRight: true, moveTimer: 1)]
        game.enemyBullets = [Bullet(x: 2, y: 7, movesRight: true)]
        game.friendlyBullets = [Bullet(x: 3, y: 8, movesRight: true)]
        #expect(cells(game, channel: 5) == [[5, 4]])
        #expect(cells(game, channel: 6) == [[6, 9]])
        #expect(cells(game, channel: 9) == [[2, 9]])
        #expect(cells(game, channel: 3) == [[5, 3], [2, 8]]) // the left-moving sub's trail is off-grid
        #expect(cells(game, channel: 4) == [[7, 2]])
        #expect(cells(game, channel: 2) == [[8, 3]])
    }

    @Test("same seed, same episode; Codable state resumes identically")
    func reproducibility() throws {
        func run(seed: UInt64, steps: Int) -> Seaquest {
            var rng = RandomStream(seed: seed, stream: 7)
            var actions = RandomStream(seed: 99, stream: 1)
            var game = Seaquest(ramping: true)
            game.reset(rng: &rng)
            for _ in 0..<steps {
                let action = MinAtarAction(rawValue: actions.integer(below: 6))!
                if game.step(action, rng: &rng).terminal { game.reset(rng: &rng) }
            }
            return game
        }
        #expect(run(seed: 5, steps: 400) == run(seed: 5, steps: 400))
        let game = run(seed: 5, steps: 400)
        let decoded = try JSONDecoder().decode(Seaquest.self, from: JSONEncoder().encode(game))
        #expect(decoded == game)
        #expect(run(seed: 5, steps: 400) != run(seed: 6, steps: 400))
    }
}
