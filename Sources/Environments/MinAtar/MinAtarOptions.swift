/// Which actions the agent chooses among in a MinAtar game.
public enum MinAtarActionSet: String, Sendable, Codable, CaseIterable {
    /// All six actions (`MinAtarAction`), as in the MinAtar paper and `MinAtar/<Game>-v0`.
    case full
    /// The game's `minimalActionSet`; agent action i means `minimalActionSet[i]`
    /// (gymnax's default and `MinAtar/<Game>-v1`).
    case minimal
}

/// How a MinAtar game is wrapped: sticky actions, action set, difficulty ramping and an
/// optional episode step limit (enforced by `VectorEnvironment` as truncation).
public struct MinAtarOptions: Sendable, Equatable, Codable {
    /// Probability in [0, 1] that the previous action is repeated instead of the chosen one
    /// (Machado et al. 2018 sticky actions; the original MinAtar default is 0.1).
    public var stickyActionProbability: Double
    /// Full six actions or the game's minimal set.
    public var actionSet: MinAtarActionSet
    /// The original's `difficulty_ramping` (Asterix, SpaceInvaders, Seaquest speed up).
    public var ramping: Bool
    /// Episode step limit reported as truncation; `nil` for none (the original).
    public var maxEpisodeSteps: Int?

    public init(stickyActionProbability: Double = 0.1, actionSet: MinAtarActionSet = .full,
                ramping: Bool = true, maxEpisodeSteps: Int? = nil) {
        self.stickyActionProbability = stickyActionProbability
        self.actionSet = actionSet
        self.ramping = ramping
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    /// Throws `EnvironmentError.invalidOption` naming the first field out of range.
    public func validate() throws {
        guard stickyActionProbability >= 0 && stickyActionProbability <= 1 else {
            throw EnvironmentError.invalidOption(option: "stickyActionProbability", value: "\(stickyActionProbability)",
                                                 reason: "must be in [0, 1]")
        }
        if let limit = maxEpisodeSteps, limit < 1 {
            throw EnvironmentError.invalidOption(option: "maxEpisodeSteps", value: "\(limit)",
                                                 reason: "must be at least 1 (or absent for no limit)")
        }
    }
}

/// Published ways of running MinAtar, as option presets.
public enum MinAtarConvention: String, Sendable, Codable, CaseIterable {
    /// The original package: full action set, sticky actions 0.1, ramping, no step limit
    /// (Freeway still ends itself after 2501 steps).
    case original
    /// gymnax (used by the DPO paper's code, Lu et al. 2022): minimal action set, no sticky
    /// actions, ramping, episodes truncated at 1000 steps (2500 for Freeway).
    case gymnax

    /// The options this convention uses for the game named `game` (lower-case CLI name).
    public func options(forGame game: String) -> MinAtarOptions {
        switch self {
        case .original:
            return MinAtarOptions(stickyActionProbability: 0.1, actionSet: .full, ramping: true, maxEpisodeSteps: nil)
        case .gymnax:
            return MinAtarOptions(stickyActionProbability: 0, actionSet: .minimal, ramping: true,
                                  maxEpisodeSteps: game == Freeway.name ? 2500 : 1000)
        }
    }
}
