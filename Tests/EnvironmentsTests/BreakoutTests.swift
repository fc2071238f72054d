import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

@Suite struct BreakoutTests {
    /// A reset game with the ball placed by hand.
    func game(ballX: Int, ballY: Int, direction: Int, paddle: Int = 4, bricks: UInt32 = Breakout.fullWall) -> Breakout {
        var g = Breakout(ramping: true)
        var rng = testStream()
        g.reset(rng: &rng)
        g.ballX = ballX
        g.ballY = ballY
        g.lastX = ballX
        g.lastY = ballY
        g.ballDirection = direction
        g.paddleX = paddle
        g.bricks = bricks
        return g
    }

    @Test func resetPlacesBallOnEitherSideAndFullWall() {
        var sides = Set<Int>()
        for i in 0..<32 {
            var g = Breakout(ramping: true)
            var rng = testStream(i)
            g.reset(rng: &rng)
            #expect(g.ballY == 3 && g.paddleX == 4 && g.bricks.nonzeroBitCount == 30 && !g.strike)
            #expect((g.ballX == 0 && g.ballDirection == 2) || (g.ballX == 9 && g.ballDirection == 3))
            #expect(g.lastX == g.ballX && g.lastY == g.ballY)
            sides.insert(g.ballX)
        }
        #expect(sides == [0, 9])
    }

    @Test func firstFrameChannels() throws {
        var env = try MinAtarEnvironment<Breakout>(options: plainOptions)
        var rng = testStream(3)
        env.reset(rng: &rng)
        let obs = denseObservation(env)
        func at(_ y: Int, _ x: Int, _ c: Int) -> Float { obs[(y * 10 + x) * 4 + c] }
        let ballX = env.game.ballX
        for y in 0..<10 {
            for x in 0..<10 {
                #expect(at(y, x, 0) == (y == 9 && x == 4 ? 1 : 0))
                #expect(at(y, x, 1) == (y == 3 && x == ballX ? 1 : 0))
                #expect(at(y, x, 2) == (y == 3 && x == ballX ? 1 : 0))
                #expect(at(y, x, 3) == ((1...3).contains(y) ? 1 : 0))
            }
        }
        #expect(obs.reduce(0, +) == 33)
    }

    @Test func sideWallsReflectHorizontally() {
        var rng = testStream()
        var left = game(ballX: 0, ballY: 5, direction: 3)
        _ = left.step(.noop, rng: &rng)
        #expect(left.ballX == 0 && left.ballY == 6 && left.ballDirection == 2)
        var right = game(ballX: 9, ballY: 5, direction: 1)
        _ = right.step(.noop, rng: &rng)
        #expect(right.ballX == 9 && right.ballY == 4 && right.ballDirection == 0)
    }

    @Test func topWallReflectsVertically() {
        var rng = testStream()
        var g = game(ballX: 5, ballY: 0, direction: 0, bricks: 0)
        let (reward, terminal) = g.step(.noop, rng: &rng)
        #expect(reward == 0 && !terminal)
        #expect(g.ballX == 4 && g.ballY == 0 && g.ballDirection == 3)
        // The corner reflects both ways: up-left at (0, 0) becomes down-right.
        var corner = game(ballX: 0, ballY: 0, direction: 0, bricks: 0)
        _ = corner.step(.noop, rng: &rng)
        #expect(corner.ballX == 0 && corner.ballY == 0 && corner.ballDirection == 2)
    }

    @Test func brickHitScoresRemovesAndReverses() {
        var rng = testStream()
        var g = game(ballX: 5, ballY: 4, direction: 0)
        let (reward, terminal) = g.step(.noop, rng: &rng)
        #expect(reward == 1 && !terminal)
        #expect(!g.hasBrick(y: 3, x: 4) && g.bricks.nonzeroBitCount == 29)
        // The ball stays in its row (new y = last y) and now goes down-left.
        #expect(g.ballX == 4 && g.ballY == 4 && g.ballDirection == 3 && g.strike)
        _ = g.step(.noop, rng: &rng)
        #expect(g.ballX == 3 && g.ballY == 5 && !g.strike)
    }

    @Test func secondConsecutiveStrikePassesThroughBrick() {
        var rng = testStream()
        var g = game(ballX: 5, ballY: 4, direction: 0)
        g.strike = true
        let (reward, _) = g.step(.noop, rng: &rng)
        #expect(reward == 0)
        #expect(g.hasBrick(y: 3, x: 4) && g.ballX == 4 && g.ballY == 3 && g.ballDirection == 0 && g.strike)
        // Still inside the wall: the next brick is also passed through, the flag stays set.
        let (again, _) = g.step(.noop, rng: &rng)
        #expect(again == 0 && g.ballX == 3 && g.ballY == 2 && g.strike && g.bricks.nonzeroBitCount == 30)
    }

    @Test func paddleUnderOldBallPositionReflectsVertically() {
        var rng = testStream()
        var g = game(ballX: 4, ballY: 8, direction: 2, paddle: 4)
        let (reward, terminal) = g.step(.noop, rng: &rng)
        #expect(reward == 0 && !terminal)
        #expect(g.ballX == 5 && g.ballY == 8 && g.ballDirection == 1)
    }

    @Test func paddleUnderNewBallPositionReflectsBothWays() {
        var rng = testStream()
        var g = game(ballX: 3, ballY: 8, direction: 2, paddle: 4)
        let (_, terminal) = g.step(.noop, rng: &rng)
        #expect(!terminal && g.ballX == 4 && g.ballY == 8 && g.ballDirection == 0)
        // The paddle moves first: from 3 to 4, under the ball's new column.
        var moving = game(ballX: 3, ballY: 8, direction: 2, paddle: 3)
        _ = moving.step(.right, rng: &rng)
        #expect(moving.paddleX == 4 && !moving.terminal && moving.ballDirection == 0)
        // Moving away from both columns misses.
        var away = game(ballX: 4, ballY: 8, direction: 2, paddle: 4)
        _ = away.step(.left, rng: &rng)
        #expect(away.paddleX == 3 && away.terminal)
    }

    @Test func missingTheBallTerminatesAndFurtherStepsChangeNothing() throws {
        var rng = testStream()
        var g = game(ballX: 0, ballY: 8, direction: 2, paddle: 5)
        let (reward, terminal) = g.step(.noop, rng: &rng)
        #expect(reward == 0 && terminal)
        #expect(g.ballX == 1 && g.ballY == 9)
        let before = try stateJSON(g)
        let after = g.step(.left, rng: &rng)
        #expect(after.reward == 0 && after.terminal)
        #expect(try stateJSON(g) == before)
    }

    @Test func wallRefillsWhenBallReachesBottomWithNoBricks() {
        var rng = testStream()
        var g = game(ballX: 3, ballY: 8, direction: 2, paddle: 4, bricks: 0)
        _ = g.step(.noop, rng: &rng)
        #expect(g.bricks == Breakout.fullWall && !g.terminal)
        // A refill also happens on a miss.
        var miss = game(ballX: 0, ballY: 8, direction: 2, paddle: 7, bricks: 0)
        _ = miss.step(.noop, rng: &rng)
        #expect(miss.bricks == Breakout.fullWall && miss.terminal)
    }

    @Test func trailIsPreviousBallCell() throws {
        var env = try MinAtarEnvironment<Breakout>(options: plainOptions)
        var rng = testStream()
        env.reset(rng: &rng)
        env.game.ballX = 5; env.game.ballY = 6; env.game.ballDirection = 2
        _ = env.step(0, rng: &rng)
        let obs = denseObservation(env)
        #expect(obs[(7 * 10 + 6) * 4 + 1] == 1)
        #expect(obs[(6 * 10 + 5) * 4 + 2] == 1)
    }
}
