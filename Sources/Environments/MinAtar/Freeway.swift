import Tensors

/// MinAtar Freeway (Young & Tian 2019), written from the rules in `shared/design/MINATAR.md` §2.3.
///
/// Channels: 0 chicken, 1 car, 2–6 trails of cars with speed 1–5. The chicken lives in
/// column 4 and starts in row 9; reaching row 0 gives +1, re-randomises every car's speed
/// and sends the chicken back to row 9; being hit by a car sends it back to row 9. The
/// chicken moves at most once every 3 steps (first at step 4). A car of speed k moves one
/// column every k + 1 steps. The game itself ends after 2501 steps (an internal timer of 2500
/// that ends the episode when it drops below 0).
///
/// Randomness per (re-)randomisation of the cars, in order: eight `integer(in: 1..<6)`
/// speeds, then eight `uniformFloat()` directions (left when below 0.5, else right).
public struct Freeway: MinAtarGame {
    public static let name = "freeway"
    public static let channelNames = ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"]
    public static let minimalActionSet: [MinAtarAction] = [.noop, .up, .down]

    static let playerSpeed = 3
    static let timeLimit = 2500
    static let chickenX = 4

    let ramping: Bool
    /// Chicken row (column 4).
    var position = 9
    var moveTimer = Freeway.playerSpeed
    var terminateTimer = Freeway.timeLimit
    /// Car i drives in row i + 1.
    var carX = SIMD8<Int8>(repeating: 0)
    var carTimer = SIMD8<Int8>(repeating: 0)
    /// Signed speed: magnitude 1–5 is the move period minus one, sign the direction.
    var carSpeed = SIMD8<Int8>(repeating: 1)
    var terminal = false

    public init(ramping: Bool) {
        self.ramping = ramping
    }

    /// New speeds and directions for every car; positions are kept unless `initial`.
    mutating func randomizeCars(initial: Bool, rng: inout RandomStream) {
        var speeds = SIMD8<Int8>(repeating: 0)
        for i in 0..<8 { speeds[i] = Int8(rng.integer(in: 1..<6)) }
        for i in 0..<8 {
            // The original takes sign(u - 0.5); a draw of exactly 0.5 (which would give a car
            // that never moves) is sent right here.
            let direction: Int8 = rng.uniformFloat() < 0.5 ? -1 : 1
            carSpeed[i] = speeds[i] &* direction
            carTimer[i] = speeds[i]
            if initial { carX[i] = 0 }
        }
    }

    public mutating func reset(rng: inout RandomStream) {
        randomizeCars(initial: true, rng: &rng)
        position = 9
        moveTimer = Self.playerSpeed
        terminateTimer = Self.timeLimit
        terminal = false
    }

    public mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool) {
        if terminal { return (0, true) }
        var reward: Float = 0
        if action == .up && moveTimer == 0 {
            moveTimer = Self.playerSpeed
            position = max(0, position - 1)
        } else if action == .down && moveTimer == 0 {
            moveTimer = Self.playerSpeed
            position = min(9, position + 1)
        }
        if position == 0 {
            reward += 1
            randomizeCars(initial: false, rng: &rng)
            position = 9
        }
        for i in 0..<8 {
            let row = i + 1
            if Int(carX[i]) == Self.chickenX && row == position { position = 9 }
            if carTimer[i] == 0 {
                let speed = carSpeed[i]
                carTimer[i] = speed < 0 ? -speed : speed
                var x = carX[i] + (speed < 0 ? -1 : 1)
                if x < 0 { x = 9 } else if x > 9 { x = 0 }
                carX[i] = x
                if Int(x) == Self.chickenX && row == position { position = 9 }
            } else {
                carTimer[i] -= 1
            }
        }
        if moveTimer > 0 { moveTimer -= 1 }
        terminateTimer -= 1
        if terminateTimer < 0 { terminal = true }
        return (reward, terminal)
    }

    public func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void) {
        body(position, Self.chickenX, 0)
        for i in 0..<8 {
            let x = Int(carX[i])
            let speed = Int(carSpeed[i])
            body(i + 1, x, 1)
            var trailX = speed > 0 ? x - 1 : x + 1
            if trailX < 0 { trailX = 9 } else if trailX > 9 { trailX = 0 }
            body(i + 1, trailX, 1 + abs(speed))
        }
    }
}
