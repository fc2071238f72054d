import Tensors

/// MinAtar Space Invaders (Young & Tian 2019), written from the rules in
/// `shared/design/MINATAR.md` §2.4.
///
/// The cannon sits on the bottom row and shoots up; a block of aliens marches sideways,
/// drops a row at each wall and fires at the cannon. Reward +1 per alien destroyed; the
/// episode ends when an enemy bullet or an alien reaches the cannon, or an alien must drop
/// from the bottom row. Clearing a wave refills it and, with ramping, speeds the aliens up.
/// The game draws no random numbers.
///
/// Observation channels (`[10, 10, 6]`): 0 cannon, 1 alien, 2 alien moving left,
/// 3 alien moving right, 4 friendly bullet, 5 enemy bullet.
public struct SpaceInvaders: MinAtarGame, Equatable {
    /// Lower-case CLI name.
    public static let name = "space-invaders"
    /// Observation channel names, in the original's order.
    public static let channelNames = ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"]
    /// The original's minimal action set.
    public static let minimalActionSet: [MinAtarAction] = [.noop, .left, .right, .fire]

    /// Steps between two friendly shots.
    static let shotCoolDown = 5
    /// Initial (and largest) number of steps between two alien moves.
    static let initialMoveInterval = 12
    /// Steps between two enemy shots.
    static let enemyShotInterval = 10

    /// A set of cells of the 10×10 grid as a 100-bit bitboard: bit `10·y + x`, bits 0–63 in
    /// `low` and 64–99 in `high`. Whole-map moves (bullets, the alien block) become shifts.
    struct CellSet: Equatable, Codable, Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        /// Mask of the 36 valid bits of `high`.
        @inline(__always) static var highMask: UInt64 { 0xF_FFFF_FFFF }
        /// Column 0 of every row (bits 0, 10, …, 90).
        @inline(__always) static var column0: CellSet { CellSet(low: 0x1004_0100_4010_0401, high: 0x401_0040) }
        /// Rows 0–3 × columns 2–7 (bits 2–7, 12–17, 22–27, 32–37): a full wave of 24 aliens.
        @inline(__always) static var wave: CellSet { CellSet(low: 0x3f_0fc3_f0fc, high: 0) }

        var isEmpty: Bool { low == 0 && high == 0 }
        var count: Int { low.nonzeroBitCount + high.nonzeroBitCount }

        @inline(__always)
        func contains(y: Int, x: Int) -> Bool {
            let i = 10 * y + x
            return i < 64 ? (low &>> UInt64(i)) & 1 != 0 : (high &>> UInt64(i - 64)) & 1 != 0
        }

        @inline(__always)
        mutating func insert(y: Int, x: Int) {
            let i = 10 * y + x
            if i < 64 { low |= 1 &<< UInt64(i) } else { high |= 1 &<< UInt64(i - 64) }
        }

        @inline(__always)
        func intersection(_ other: CellSet) -> CellSet {
            CellSet(low: low & other.low, high: high & other.high)
        }

        @inline(__always)
        mutating func subtract(_ other: CellSet) {
            low &= ~other.low
            high &= ~other.high
        }

        /// Every cell moves `n` bit positions towards higher indices (n < 64); cells pushed
        /// past bit 99 disappear.
        @inline(__always)
        mutating func shiftUp(by n: Int) {
            let s = UInt64(n)
            high = ((high &<< s) | (low &>> (64 - s))) & CellSet.highMask
            low = low &<< s
        }

        /// Every cell moves `n` bit positions towards lower indices (n < 64); cells pushed
        /// below bit 0 disappear.
        @inline(__always)
        mutating func shiftDown(by n: Int) {
            let s = UInt64(n)
            low = (low &>> s) | (high &<< (64 - s))
            high = high &>> s
        }

        /// Moves every cell one row down (towards y = 9); row 9 leaves the grid.
        mutating func moveRowsDown() { shiftUp(by: 10) }
        /// Moves every cell one row up (towards y = 0); row 0 leaves the grid.
        mutating func moveRowsUp() { shiftDown(by: 10) }
        /// Moves every cell one column left; column 0 leaves the grid.
        mutating func moveColumnsLeft() {
            subtract(CellSet.column0)
            shiftDown(by: 1)
        }
        /// Moves every cell one column right; column 9 leaves the grid.
        mutating func moveColumnsRight() {
            var column9 = CellSet.column0
            column9.shiftUp(by: 9)
            subtract(column9)
            shiftUp(by: 1)
        }

        /// True when some cell of column `x` is set.
        func hasCell(inColumn x: Int) -> Bool {
            var column = CellSet.column0
            if x > 0 { column.shiftUp(by: x) }
            return !intersection(column).isEmpty
        }

        /// True when some cell of row `y` is set.
        func hasCell(inRow y: Int) -> Bool {
            for x in 0..<10 where contains(y: y, x: x) { return true }
            return false
        }

        /// Calls `body(y, x)` for every set cell, in increasing bit order.
        @inline(__always)
        func forEach(_ body: (_ y: Int, _ x: Int) -> Void) {
            var word = low
            while word != 0 {
                let i = word.trailingZeroBitCount
                body(i / 10, i % 10)
                word &= word &- 1
            }
            word = high
            while word != 0 {
                let i = word.trailingZeroBitCount + 64
                body(i / 10, i % 10)
                word &= word &- 1
            }
        }
    }

    /// The original's `difficulty_ramping`.
    let ramping: Bool
    /// Cannon column, 0–9 (the cannon is always on row 9).
    var position = 5
    var aliens = CellSet.wave
    var friendlyBullets = CellSet()
    var enemyBullets = CellSet()
    /// −1 while the aliens march left, +1 while they march right.
    var alienDirection = -1
    /// Current alien move interval: 12, lowered by one per cleared wave down to 6 (ramping).
    var enemyMoveInterval = SpaceInvaders.initialMoveInterval
    var alienMoveTimer = SpaceInvaders.initialMoveInterval
    var alienShotTimer = SpaceInvaders.enemyShotInterval
    var shotTimer = 0
    var rampIndex = 0
    var terminal = false

    /// A game in its reset state; `ramping` is the original's `difficulty_ramping`.
    public init(ramping: Bool) {
        self.ramping = ramping
    }

    /// Starts a new episode; draws nothing.
    public mutating func reset(rng: inout RandomStream) {
        self = SpaceInvaders(ramping: ramping)
    }

    /// One step of the rules; reward = aliens destroyed this step.
    public mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool) {
        if terminal { return (0, true) }
        var reward = 0

        // 1. Fire (only off cooldown) or move; fire during cooldown does nothing.
        if action == .fire {
            if shotTimer == 0 {
                friendlyBullets.insert(y: 9, x: position)
                shotTimer = Self.shotCoolDown
            }
        } else if action == .left {
            position = max(0, position - 1)
        } else if action == .right {
            position = min(9, position + 1)
        }

        // 2–3. Bullets advance; hits are checked against the cannon's new column.
        friendlyBullets.moveRowsUp()
        enemyBullets.moveRowsDown()
        if enemyBullets.contains(y: 9, x: position) { terminal = true }
        if aliens.contains(y: 9, x: position) { terminal = true }

        // 4. The alien block moves; fewer aliens move more often.
        if alienMoveTimer == 0 {
            alienMoveTimer = min(aliens.count, enemyMoveInterval)
            if (alienDirection < 0 && aliens.hasCell(inColumn: 0)) || (alienDirection > 0 && aliens.hasCell(inColumn: 9)) {
                alienDirection = -alienDirection
                if aliens.hasCell(inRow: 9) { terminal = true }
                aliens.moveRowsDown()
            } else if alienDirection < 0 {
                aliens.moveColumnsLeft()
            } else {
                aliens.moveColumnsRight()
            }
            if aliens.contains(y: 9, x: position) { terminal = true }
        }

        // 5. The bottom alien of the column nearest the cannon (ties: lower column) fires.
        if alienShotTimer == 0 {
            alienShotTimer = Self.enemyShotInterval
            if let (y, x) = shooter() { enemyBullets.insert(y: y, x: x) }
        }

        // 6. Friendly bullets and aliens on the same cell destroy each other.
        let hits = aliens.intersection(friendlyBullets)
        if !hits.isEmpty {
            reward += hits.count
            aliens.subtract(hits)
            friendlyBullets.subtract(hits)
        }

        // 7. Timers.
        if shotTimer > 0 { shotTimer -= 1 }
        alienMoveTimer -= 1
        alienShotTimer -= 1

        // 8. A cleared wave is refilled; direction and timers carry over.
        if aliens.isEmpty {
            if ramping && enemyMoveInterval > 6 {
                enemyMoveInterval -= 1
                rampIndex += 1
            }
            aliens = CellSet.wave
        }
        return (Float(reward), terminal)
    }

    /// The cell of the alien that fires: the lowest alien of the column nearest the cannon,
    /// ties going to the lower column index; nil when there are no aliens.
    func shooter() -> (y: Int, x: Int)? {
        var bestColumn = -1
        for distance in 0..<10 {
            if position - distance >= 0 && aliens.hasCell(inColumn: position - distance) {
                bestColumn = position - distance
                break
            }
            if position + distance <= 9 && aliens.hasCell(inColumn: position + distance) {
                bestColumn = position + distance
                break
            }
        }
        guard bestColumn >= 0 else { return nil }
        for y in stride(from: 9, through: 0, by: -1) where aliens.contains(y: y, x: bestColumn) {
            return (y, bestColumn)
        }
        return nil
    }

    /// Calls `body(y, x, channel)` for every set cell of the `[10, 10, C]` observation.
    public func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void) {
        body(9, position, 0)
        let directionChannel = alienDirection < 0 ? 2 : 3
        aliens.forEach { y, x in
            body(y, x, 1)
            body(y, x, directionChannel)
        }
        friendlyBullets.forEach { y, x in body(y, x, 4) }
        enemyBullets.forEach { y, x in body(y, x, 5) }
    }
}
