import Tensors

/// MinAtar Breakout (Young & Tian 2019), written from the rules in `shared/design/MINATAR.md` §2.1.
///
/// Channels: 0 paddle, 1 ball, 2 trail (the ball's previous cell), 3 brick. The paddle sits
/// in row 9; bricks fill rows 1–3 and are refilled when the last one is gone. Reward +1 per
/// brick; the episode ends when the ball reaches row 9 and the paddle misses it. The only
/// randomness is one `integer(below: 2)` at reset (which side the ball starts on).
public struct Breakout: MinAtarGame {
    public static let name = "breakout"
    public static let channelNames = ["paddle", "ball", "trail", "brick"]
    public static let minimalActionSet: [MinAtarAction] = [.noop, .left, .right]

    /// Breakout has no difficulty ramping; the flag is kept only for the protocol.
    let ramping: Bool
    /// Paddle column (row 9).
    var paddleX: Int = 4
    var ballX: Int = 0
    var ballY: Int = 3
    /// Ball direction: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
    var ballDirection: Int = 2
    /// The ball's cell before the last step (the trail).
    var lastX: Int = 0
    var lastY: Int = 3
    /// Bricks as a bit mask over rows 1–3: bit `(y - 1) * 10 + x`. Bricks never exist elsewhere.
    var bricks: UInt32 = Breakout.fullWall
    /// Whether the ball hit a brick on the previous step (a second hit in a row passes through).
    var strike = false
    var terminal = false

    static let fullWall: UInt32 = (1 << 30) - 1

    public init(ramping: Bool) {
        self.ramping = ramping
    }

    public mutating func reset(rng: inout RandomStream) {
        ballY = 3
        if rng.integer(below: 2) == 0 {
            ballX = 0
            ballDirection = 2
        } else {
            ballX = 9
            ballDirection = 3
        }
        paddleX = 4
        bricks = Self.fullWall
        strike = false
        lastX = ballX
        lastY = ballY
        terminal = false
    }

    @inline(__always)
    func hasBrick(y: Int, x: Int) -> Bool {
        y >= 1 && y <= 3 && bricks & (1 << UInt32((y - 1) * 10 + x)) != 0
    }

    public mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool) {
        if terminal { return (0, true) }
        var reward: Float = 0
        switch action {
        case .left: paddleX = max(0, paddleX - 1)
        case .right: paddleX = min(9, paddleX + 1)
        default: break
        }
        lastX = ballX
        lastY = ballY
        // Direction deltas: 0 (-1,-1), 1 (+1,-1), 2 (+1,+1), 3 (-1,+1).
        let dx = (ballDirection == 1 || ballDirection == 2) ? 1 : -1
        let dy = ballDirection >= 2 ? 1 : -1
        var newX = ballX + dx
        var newY = ballY + dy
        var struckThisStep = false
        // Reflections on the direction code: a side wall flips the horizontal component
        // (d ^ 1), the top, a brick or a paddle under the ball the vertical one (3 - d), a
        // paddle met diagonally both (d ^ 2).
        if newX < 0 || newX > 9 {
            newX = newX < 0 ? 0 : 9
            ballDirection = ballDirection ^ 1
        }
        if newY < 0 {
            newY = 0
            ballDirection = 3 - ballDirection
        } else if hasBrick(y: newY, x: newX) {
            struckThisStep = true
            if !strike {
                reward += 1
                strike = true
                bricks &= ~(1 << UInt32((newY - 1) * 10 + newX))
                newY = lastY
                ballDirection = 3 - ballDirection
            }
        } else if newY == 9 {
            if bricks == 0 { bricks = Self.fullWall }
            if ballX == paddleX {
                ballDirection = 3 - ballDirection
                newY = lastY
            } else if newX == paddleX {
                ballDirection = ballDirection ^ 2
                newY = lastY
            } else {
                terminal = true
            }
        }
        if !struckThisStep { strike = false }
        ballX = newX
        ballY = newY
        return (reward, terminal)
    }

    public func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void) {
        body(9, paddleX, 0)
        body(ballY, ballX, 1)
        body(lastY, lastX, 2)
        var mask = bricks
        while mask != 0 {
            let bit = mask.trailingZeroBitCount
            mask &= mask - 1
            body(1 + bit / 10, bit % 10, 3)
        }
    }
}
