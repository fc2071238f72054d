import Tensors

/// MinAtar Asterix (Young & Tian 2019), written from the rules in `shared/design/MINATAR.md` §2.2.
///
/// Channels: 0 player, 1 enemy, 2 trail (the cell an entity came from), 3 gold. Eight lanes
/// (rows 1–8) each hold at most one entity moving left or right; touching gold gives +1,
/// touching an enemy ends the episode. With ramping, every 102 steps
/// (ramps at steps 102, 204, ..., 918) entities spawn one step sooner and, at every second
/// ramp, move one step sooner, until both periods reach 1.
///
/// Randomness per spawn, in order: `uniformFloat() < 0.5` (moving right), `uniformFloat() < 1/3`
/// (gold), then `integer(below: freeSlots)` only when a slot is free.
public struct Asterix: MinAtarGame {
    public static let name = "asterix"
    public static let channelNames = ["player", "enemy", "trail", "gold"]
    public static let minimalActionSet: [MinAtarAction] = [.noop, .left, .up, .right, .down]

    static let rampInterval = 100
    static let initialSpawnSpeed = 10
    static let initialMoveInterval = 5

    let ramping: Bool
    var playerX = 5
    var playerY = 5
    /// Bit i set: slot i (row i + 1) holds an entity.
    var activeSlots: UInt8 = 0
    /// Bit i set: the entity in slot i moves right (else left).
    var movingRight: UInt8 = 0
    /// Bit i set: the entity in slot i is gold (else an enemy).
    var goldSlots: UInt8 = 0
    /// Column of the entity in each slot (meaningful only for active slots).
    var entityX = SIMD8<Int8>(repeating: 0)
    var spawnSpeed = Asterix.initialSpawnSpeed
    var spawnTimer = Asterix.initialSpawnSpeed
    var moveSpeed = Asterix.initialMoveInterval
    var moveTimer = Asterix.initialMoveInterval
    var rampTimer = Asterix.rampInterval
    var rampIndex = 0
    var terminal = false

    public init(ramping: Bool) {
        self.ramping = ramping
    }

    public mutating func reset(rng: inout RandomStream) {
        playerX = 5
        playerY = 5
        activeSlots = 0
        movingRight = 0
        goldSlots = 0
        entityX = SIMD8(repeating: 0)
        spawnSpeed = Self.initialSpawnSpeed
        spawnTimer = Self.initialSpawnSpeed
        moveSpeed = Self.initialMoveInterval
        moveTimer = Self.initialMoveInterval
        rampTimer = Self.rampInterval
        rampIndex = 0
        terminal = false
    }

    mutating func spawnEntity(rng: inout RandomStream) {
        // Both draws happen even when every lane is taken (then nothing spawns).
        let right = rng.uniformFloat() < 0.5
        let gold = rng.uniformFloat() < Float(1.0 / 3.0)
        let free = ~activeSlots
        let freeCount = free.nonzeroBitCount
        guard freeCount > 0 else { return }
        // The k-th free slot in increasing order.
        var remaining = rng.integer(below: freeCount)
        var mask = free
        while remaining > 0 {
            mask &= mask - 1
            remaining -= 1
        }
        let slot = mask.trailingZeroBitCount
        let bit = UInt8(1) << UInt8(slot)
        activeSlots |= bit
        if right { movingRight |= bit } else { movingRight &= ~bit }
        if gold { goldSlots |= bit } else { goldSlots &= ~bit }
        entityX[slot] = right ? 0 : 9
    }

    /// Resolves an entity sharing the player's cell: gold is collected, an enemy ends the game.
    @inline(__always)
    mutating func collide(slot: Int, bit: UInt8, reward: inout Float) {
        if goldSlots & bit != 0 {
            activeSlots &= ~bit
            reward += 1
        } else {
            terminal = true
        }
    }

    public mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool) {
        if terminal { return (0, true) }
        var reward: Float = 0
        if spawnTimer == 0 {
            spawnEntity(rng: &rng)
            spawnTimer = spawnSpeed
        }
        switch action {
        case .left: playerX = max(0, playerX - 1)
        case .right: playerX = min(9, playerX + 1)
        case .up: playerY = max(1, playerY - 1)
        case .down: playerY = min(8, playerY + 1)
        default: break
        }
        // The player moved onto (or stayed on) an entity.
        let playerSlot = playerY - 1
        let playerBit = UInt8(1) << UInt8(playerSlot)
        if activeSlots & playerBit != 0 && Int(entityX[playerSlot]) == playerX {
            collide(slot: playerSlot, bit: playerBit, reward: &reward)
        }
        if moveTimer == 0 {
            moveTimer = moveSpeed
            var mask = activeSlots
            while mask != 0 {
                let slot = mask.trailingZeroBitCount
                mask &= mask - 1
                let bit = UInt8(1) << UInt8(slot)
                let x = Int(entityX[slot]) + (movingRight & bit != 0 ? 1 : -1)
                if x < 0 || x > 9 {
                    activeSlots &= ~bit
                    continue
                }
                entityX[slot] = Int8(x)
                if slot == playerSlot && x == playerX {
                    collide(slot: slot, bit: bit, reward: &reward)
                }
            }
        }
        spawnTimer -= 1
        moveTimer -= 1
        if ramping && (spawnSpeed > 1 || moveSpeed > 1) {
            if rampTimer >= 0 {
                rampTimer -= 1
            } else {
                if moveSpeed > 1 && rampIndex % 2 == 1 { moveSpeed -= 1 }
                if spawnSpeed > 1 { spawnSpeed -= 1 }
                rampIndex += 1
                rampTimer = Self.rampInterval
            }
        }
        return (reward, terminal)
    }

    public func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void) {
        body(playerY, playerX, 0)
        var mask = activeSlots
        while mask != 0 {
            let slot = mask.trailingZeroBitCount
            mask &= mask - 1
            let bit = UInt8(1) << UInt8(slot)
            let x = Int(entityX[slot])
            body(slot + 1, x, goldSlots & bit != 0 ? 3 : 1)
            let trailX = movingRight & bit != 0 ? x - 1 : x + 1
            if trailX >= 0 && trailX <= 9 { body(slot + 1, trailX, 2) }
        }
    }
}
