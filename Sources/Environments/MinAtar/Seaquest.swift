import Tensors

/// MinAtar Seaquest (Young & Tian 2019), written from the rules in
/// `shared/design/MINATAR.md` §2.5.
///
/// The player steers a submarine that shoots enemy fish and enemy subs (+1 each), collects
/// up to six divers and must surface before its oxygen runs out. Surfacing with no diver
/// ends the episode; surfacing with six pays a bonus of `oxygen·10/200`. Touching an enemy
/// or an enemy bullet ends the episode too.
///
/// Entity lists are processed in reverse order with in-place removal, as in the original,
/// which fixes the outcome when several objects share a cell. Random draws per step, in
/// order: enemy spawn (`lr`, `is_sub`, `y`), then diver spawn (`lr`, `y`).
///
/// Observation channels (`[10, 10, 10]`): 0 sub front, 1 sub back, 2 friendly bullet,
/// 3 trail, 4 enemy bullet, 5 enemy fish, 6 enemy sub, 7 oxygen gauge, 8 diver gauge,
/// 9 diver.
public struct Seaquest: MinAtarGame, Equatable {
    /// Lower-case CLI name.
    public static let name = "seaquest"
    /// Observation channel names, in the original's order.
    public static let channelNames = [
        "sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet",
        "enemy_fish", "enemy_sub", "oxygen_gauge", "diver_gauge", "diver",
    ]
    /// The original's minimal action set.
    public static let minimalActionSet: [MinAtarAction] = [.noop, .left, .up, .right, .down, .fire]

    static let maxOxygen = 200
    static let initialSpawnSpeed = 20
    static let diverSpawnSpeed = 30
    static let initialMoveInterval = 5
    static let shotCoolDown = 5
    static let enemyShotInterval = 10
    static let diverMoveInterval = 5
    /// Entity capacity reserved up front so that ordinary play never reallocates.
    static let reservedCapacity = 32

    /// A bullet: position and heading.
    struct Bullet: Equatable, Codable, Sendable {
        var x: Int
        var y: Int
        var movesRight: Bool
    }

    /// A fish, sub or diver: position, heading, steps until its next move and (subs only)
    /// steps until its next shot.
    struct Mover: Equatable, Codable, Sendable {
        var x: Int
        var y: Int
        var movesRight: Bool
        var moveTimer: Int
        var shotTimer: Int = 0
    }

    /// The original's `difficulty_ramping`.
    let ramping: Bool
    var oxygen = Seaquest.maxOxygen
    /// Divers on board; falls to −1 (and below) after a six-diver surfacing (the original's quirk).
    var diverCount = 0
    var subX = 5
    var subY = 0
    var facingRight = false
    var friendlyBullets: [Bullet] = []
    var enemyBullets: [Bullet] = []
    var fish: [Mover] = []
    var subs: [Mover] = []
    var divers: [Mover] = []
    var enemySpawnSpeed = Seaquest.initialSpawnSpeed
    var enemySpawnTimer = Seaquest.initialSpawnSpeed
    var diverSpawnTimer = Seaquest.diverSpawnSpeed
    var moveSpeed = Seaquest.initialMoveInterval
    var rampIndex = 0
    var shotTimer = 0
    /// True while the sub has been at the surface since its last surfacing.
    var surface = true
    var terminal = false

    /// A game in its reset state; `ramping` is the original's `difficulty_ramping`.
    public init(ramping: Bool) {
        self.ramping = ramping
        friendlyBullets.reserveCapacity(Self.reservedCapacity)
        enemyBullets.reserveCapacity(Self.reservedCapacity)
        fish.reserveCapacity(Self.reservedCapacity)
        subs.reserveCapacity(Self.reservedCapacity)
        divers.reserveCapacity(Self.reservedCapacity)
    }

    /// Starts a new episode; draws nothing.
    public mutating func reset(rng: inout RandomStream) {
        oxygen = Self.maxOxygen
        diverCount = 0
        subX = 5
        subY = 0
        facingRight = false
        // Keep the lists' storage: resets happen constantly under auto-reset.
        friendlyBullets.removeAll(keepingCapacity: true)
        enemyBullets.removeAll(keepingCapacity: true)
        fish.removeAll(keepingCapacity: true)
        subs.removeAll(keepingCapacity: true)
        divers.removeAll(keepingCapacity: true)
        enemySpawnSpeed = Self.initialSpawnSpeed
        enemySpawnTimer = Self.initialSpawnSpeed
        diverSpawnTimer = Self.diverSpawnSpeed
        moveSpeed = Self.initialMoveInterval
        rampIndex = 0
        shotTimer = 0
        surface = true
        terminal = false
    }

    @inline(__always)
    private func isOnSub(_ x: Int, _ y: Int) -> Bool { x == subX && y == subY }

    @inline(__always)
    private static func isOffGrid(_ x: Int) -> Bool { x < 0 || x > 9 }

    /// One step of the rules; reward = enemies destroyed plus any surfacing bonus.
    public mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool) {
        if terminal { return (0, true) }
        var reward = 0

        // 1–2. Spawns (global timers: period = the timer's reset value).
        if enemySpawnTimer == 0 {
            spawnEnemy(rng: &rng)
            enemySpawnTimer = enemySpawnSpeed
        }
        if diverSpawnTimer == 0 {
            spawnDiver(rng: &rng)
            diverSpawnTimer = Self.diverSpawnSpeed
        }

        // 3. Fire (only off cooldown) or move; fire during cooldown does nothing.
        switch action {
        case .fire:
            if shotTimer == 0 {
                friendlyBullets.append(Bullet(x: subX, y: subY, movesRight: facingRight))
                shotTimer = Self.shotCoolDown
            }
        case .left:
            subX = max(0, subX - 1)
            facingRight = false
        case .right:
            subX = min(9, subX + 1)
            facingRight = true
        case .up:
            subY = max(0, subY - 1)
        case .down:
            subY = min(8, subY + 1)
        case .noop:
            break
        }

        // 4. Friendly bullets: each destroys the first fish on its cell, else the first sub.
        var i = friendlyBullets.count - 1
        while i >= 0 {
            let x = friendlyBullets[i].x + (friendlyBullets[i].movesRight ? 1 : -1)
            let y = friendlyBullets[i].y
            if Self.isOffGrid(x) {
                friendlyBullets.remove(at: i)
            } else if let f = fish.firstIndex(where: { $0.x == x && $0.y == y }) {
                fish.remove(at: f)
                friendlyBullets.remove(at: i)
                reward += 1
            } else if let s = subs.firstIndex(where: { $0.x == x && $0.y == y }) {
                subs.remove(at: s)
                friendlyBullets.remove(at: i)
                reward += 1
            } else {
                friendlyBullets[i].x = x
            }
            i -= 1
        }

        // 5. Divers: picked up on contact while fewer than six are aboard.
        i = divers.count - 1
        while i >= 0 {
            if isOnSub(divers[i].x, divers[i].y) && diverCount < 6 {
                divers.remove(at: i)
                diverCount += 1
            } else if divers[i].moveTimer == 0 {
                divers[i].moveTimer = Self.diverMoveInterval
                divers[i].x += divers[i].movesRight ? 1 : -1
                if Self.isOffGrid(divers[i].x) {
                    divers.remove(at: i)
                } else if isOnSub(divers[i].x, divers[i].y) && diverCount < 6 {
                    divers.remove(at: i)
                    diverCount += 1
                }
            } else {
                divers[i].moveTimer -= 1
            }
            i -= 1
        }

        // 6. Enemy subs move, collide, and fire (a sub removed this step still fires).
        i = subs.count - 1
        while i >= 0 {
            var sub = subs[i]
            var removed = false
            if isOnSub(sub.x, sub.y) { terminal = true }
            if sub.moveTimer == 0 {
                sub.moveTimer = moveSpeed
                sub.x += sub.movesRight ? 1 : -1
                if Self.isOffGrid(sub.x) {
                    removed = true
                } else if isOnSub(sub.x, sub.y) {
                    terminal = true
                } else if let b = friendlyBullets.firstIndex(where: { $0.x == sub.x && $0.y == sub.y }) {
                    friendlyBullets.remove(at: b)
                    removed = true
                    reward += 1
                }
            } else {
                sub.moveTimer -= 1
            }
            if sub.shotTimer == 0 {
                sub.shotTimer = Self.enemyShotInterval
                enemyBullets.append(Bullet(x: sub.x, y: sub.y, movesRight: sub.movesRight))
            } else {
                sub.shotTimer -= 1
            }
            if removed { subs.remove(at: i) } else { subs[i] = sub }
            i -= 1
        }

        // 7. Enemy bullets (including the ones fired just now) advance.
        i = enemyBullets.count - 1
        while i >= 0 {
            if isOnSub(enemyBullets[i].x, enemyBullets[i].y) { terminal = true }
            enemyBullets[i].x += enemyBullets[i].movesRight ? 1 : -1
            if Self.isOffGrid(enemyBullets[i].x) {
                enemyBullets.remove(at: i)
            } else if isOnSub(enemyBullets[i].x, enemyBullets[i].y) {
                terminal = true
            }
            i -= 1
        }

        // 8. Fish: as subs, without shooting.
        i = fish.count - 1
        while i >= 0 {
            if isOnSub(fish[i].x, fish[i].y) { terminal = true }
            if fish[i].moveTimer == 0 {
                fish[i].moveTimer = moveSpeed
                fish[i].x += fish[i].movesRight ? 1 : -1
                let x = fish[i].x, y = fish[i].y
                if Self.isOffGrid(x) {
                    fish.remove(at: i)
                } else if isOnSub(x, y) {
                    terminal = true
                } else if let b = friendlyBullets.firstIndex(where: { $0.x == x && $0.y == y }) {
                    friendlyBullets.remove(at: b)
                    fish.remove(at: i)
                    reward += 1
                }
            } else {
                fish[i].moveTimer -= 1
            }
            i -= 1
        }

        // 9. Timers; oxygen is checked before this step's breath is taken.
        if enemySpawnTimer > 0 { enemySpawnTimer -= 1 }
        if diverSpawnTimer > 0 { diverSpawnTimer -= 1 }
        if shotTimer > 0 { shotTimer -= 1 }
        if oxygen <= 0 { terminal = true }

        // 10. Underwater the sub breathes; reaching the surface needs a diver aboard.
        if subY > 0 {
            oxygen -= 1
            surface = false
        } else if !surface {
            if diverCount == 0 {
                terminal = true
            } else {
                reward += surfaceNow()
            }
        }
        return (Float(reward), terminal)
    }

    /// The original's `_surface()`: refills oxygen, pays the six-diver bonus, drops one diver
    /// (so a six-diver surfacing leaves −1, the original's quirk) and ramps the difficulty.
    private mutating func surfaceNow() -> Int {
        surface = true
        var bonus = 0
        if diverCount == 6 {
            diverCount = 0
            bonus = oxygen * 10 / Self.maxOxygen
        }
        oxygen = Self.maxOxygen
        diverCount -= 1
        if ramping && (enemySpawnSpeed > 1 || moveSpeed > 2) {
            if moveSpeed > 2 && rampIndex % 2 == 1 { moveSpeed -= 1 }
            if enemySpawnSpeed > 1 { enemySpawnSpeed -= 1 }
            rampIndex += 1
        }
        return bonus
    }

    /// Draws `lr`, `is_sub`, `y` (always all three), then adds the enemy unless a sub or
    /// fish in that row moves the other way.
    private mutating func spawnEnemy(rng: inout RandomStream) {
        let movesRight = rng.uniformDouble() < 0.5
        let isSub = rng.uniformDouble() < 1.0 / 3.0
        let y = rng.integer(in: 1..<9)
        if subs.contains(where: { $0.y == y && $0.movesRight != movesRight })
            || fish.contains(where: { $0.y == y && $0.movesRight != movesRight }) {
            return
        }
        let enemy = Mover(x: movesRight ? 0 : 9, y: y, movesRight: movesRight, moveTimer: moveSpeed,
                          shotTimer: isSub ? Self.enemyShotInterval : 0)
        if isSub { subs.append(enemy) } else { fish.append(enemy) }
    }

    /// Draws `lr`, then `y`, and adds a diver at the matching edge.
    private mutating func spawnDiver(rng: inout RandomStream) {
        let movesRight = rng.uniformDouble() < 0.5
        let y = rng.integer(in: 1..<9)
        divers.append(Mover(x: movesRight ? 0 : 9, y: y, movesRight: movesRight, moveTimer: Self.diverMoveInterval))
    }

    /// Calls `body(y, x, channel)` for every set cell of the `[10, 10, C]` observation.
    public func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void) {
        body(subY, subX, 0)
        let backX = facingRight ? subX - 1 : subX + 1
        if !Self.isOffGrid(backX) { body(subY, backX, 1) }
        for b in friendlyBullets where !Self.isOffGrid(b.x) { body(b.y, b.x, 2) }
        for b in enemyBullets where !Self.isOffGrid(b.x) { body(b.y, b.x, 4) }
        // Fish, subs and divers leave a trail on the cell they came from.
        @inline(__always)
        func draw(_ movers: [Mover], channel: Int) {
            for m in movers where !Self.isOffGrid(m.x) {
                body(m.y, m.x, channel)
                let trailX = m.movesRight ? m.x - 1 : m.x + 1
                if !Self.isOffGrid(trailX) { body(m.y, trailX, 3) }
            }
        }
        draw(fish, channel: 5)
        draw(subs, channel: 6)
        draw(divers, channel: 9)
        let oxygenCells = max(0, oxygen) * 10 / Self.maxOxygen
        for x in 0..<oxygenCells { body(9, x, 7) }
        if diverCount > 0 {
            for x in (9 - diverCount)..<9 { body(9, x, 8) }
        }
    }
}
