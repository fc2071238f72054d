import Tensors

/// A MinAtar game behind the original package's `Environment` wrapper semantics
/// (`minatar/environment.py`): sticky actions, full or minimal action set, and a 10×10×C
/// observation of 0/1 floats.
///
/// Every step draws one `uniformFloat()` for the sticky-action test, even when the
/// probability is 0, before the game's own draws; when it is below the probability, the
/// previous game action is repeated. The previous action starts as no-op and is not reset by
/// `reset`, so it carries across episodes, as in the original. A step on a game that has
/// already ended returns `(0, true)` and leaves the game unchanged (the sticky draw and the
/// remembered action still advance, because the original makes them before the game's
/// terminal check). The step limit in `options.maxEpisodeSteps` is enforced by
/// `VectorEnvironment`, not here.
public struct MinAtarEnvironment<Game: MinAtarGame>: GridEnvironment {
    public typealias Action = Int

    /// The game's state.
    public internal(set) var game: Game
    /// How the game is wrapped.
    public let options: MinAtarOptions
    /// The game action taken at the previous step (the sticky-action memory).
    public internal(set) var lastAction: MinAtarAction = .noop

    /// A wrapped game before its first `reset`. Throws when `options` are out of range.
    public init(options: MinAtarOptions) throws {
        try options.validate()
        self.options = options
        self.game = Game(ramping: options.ramping)
    }

    public var observationShape: [Int] { [10, 10, Game.channelCount] }
    public static var channelNames: [String] { Game.channelNames }

    public var actionSpace: ActionSpace {
        .discrete(count: options.actionSet == .full ? MinAtarAction.allCases.count : Game.minimalActionSet.count)
    }

    public mutating func reset(rng: inout RandomStream) {
        game.reset(rng: &rng)
    }

    /// One step; `action` indexes the action set (`0..<actionSpace` count).
    public mutating func step(_ action: Int, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        var gameAction: MinAtarAction
        switch options.actionSet {
        case .full:
            precondition(action >= 0 && action < 6, "MinAtar action \(action) outside 0..<6")
            gameAction = MinAtarAction(rawValue: action).unsafelyUnwrapped
        case .minimal:
            let set = Game.minimalActionSet
            precondition(action >= 0 && action < set.count, "MinAtar action \(action) outside 0..<\(set.count)")
            gameAction = set[action]
        }
        let u = rng.uniformFloat()
        if Double(u) < options.stickyActionProbability { gameAction = lastAction }
        lastAction = gameAction
        let (reward, terminal) = game.step(gameAction, rng: &rng)
        return (reward, terminal)
    }

    /// Writes the `[10, 10, C]` observation (row y, column x, channel), 1 where a cell is set.
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        let channels = Game.channelCount
        precondition(buffer.count == 100 * channels, "observation buffer has \(buffer.count) floats, needs \(100 * channels)")
        let base = buffer.baseAddress.unsafelyUnwrapped
        base.update(repeating: 0, count: 100 * channels)
        game.forEachActiveCell { y, x, channel in
            base[(y * 10 + x) * channels + channel] = 1
        }
    }

    public var maximumActiveCells: Int { 100 * Game.channelCount }

    /// Writes the flat indices `(y * 10 + x) * C + channel` of the set cells, each once and in
    /// increasing order of generation (not sorted), and returns how many were written.
    public func writeActiveIndices(into buffer: UnsafeMutableBufferPointer<Int32>) -> Int {
        let channels = Game.channelCount
        let size = 100 * channels
        let words = (size + 63) / 64
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { seen in
            // A cell reported twice (e.g. two entities in one cell) must appear once, as in the
            // dense observation.
            let seenBase = seen.baseAddress.unsafelyUnwrapped
            seenBase.initialize(repeating: 0, count: words)
            var count = 0
            game.forEachActiveCell { y, x, channel in
                let index = (y * 10 + x) * channels + channel
                let bit = UInt64(1) << UInt64(index & 63)
                if seenBase[index >> 6] & bit == 0 {
                    seenBase[index >> 6] |= bit
                    precondition(count < buffer.count, "active-index buffer of \(buffer.count) is too small")
                    buffer[count] = Int32(index)
                    count += 1
                }
            }
            return count
        }
    }
}
