import Tensors

/// MinAtar's six actions, in the original's index order (`0 n, 1 l, 2 u, 3 r, 4 d, 5 f`).
public enum MinAtarAction: Int, Sendable, CaseIterable, Codable {
    case noop = 0, left = 1, up = 2, right = 3, down = 4, fire = 5
}

/// The rules of one MinAtar game (Young & Tian 2019), written from the rules in
/// `shared/design/MINATAR.md`, with scalar state.
///
/// A game knows nothing of sticky actions, action sets or time limits: `MinAtarEnvironment`
/// adds those. The game draws from the stream it is handed in exactly the order the
/// original draws from its generator (per game, listed in MINATAR.md).
public protocol MinAtarGame: Sendable, Codable {
    /// Lower-case CLI name, e.g. `breakout`.
    static var name: String { get }
    /// Channel names in the original's order; the observation has `channelNames.count` channels.
    static var channelNames: [String] { get }
    /// The original's `minimal_action_set()`, as indices into `MinAtarAction`.
    static var minimalActionSet: [MinAtarAction] { get }

    /// A game before its first `reset`. `ramping` is the original's `difficulty_ramping`.
    init(ramping: Bool)
    /// Starts a new episode (the original's `reset()`; draws what it draws).
    mutating func reset(rng: inout RandomStream)
    /// One step of the game's rules (the original's `act` after the sticky-action draw).
    mutating func step(_ action: MinAtarAction, rng: inout RandomStream) -> (reward: Float, terminal: Bool)
    /// Calls `body(y, x, channel)` once for every cell that is set in the observation
    /// (row y from the top, column x from the left). Cheap: the observation is sparse.
    func forEachActiveCell(_ body: (_ y: Int, _ x: Int, _ channel: Int) -> Void)
}

extension MinAtarGame {
    public static var channelCount: Int { channelNames.count }
}
