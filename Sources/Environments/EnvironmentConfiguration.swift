import Foundation
import Tensors

/// How a task from the catalog is configured. MinAtar games use `minAtarOptions` when given,
/// else the options of `convention`; tasks without conventions ignore both.
public struct EnvironmentConfiguration: Sendable, Equatable, Codable {
    /// Preset for MinAtar games.
    public var convention: MinAtarConvention
    /// Explicit MinAtar options, overriding `convention`.
    public var minAtarOptions: MinAtarOptions?
    /// Worker tasks per vector step; `nil` for every active core.
    public var parallelism: Int?

    public init(convention: MinAtarConvention = .original, minAtarOptions: MinAtarOptions? = nil,
                parallelism: Int? = nil) {
        self.convention = convention
        self.minAtarOptions = minAtarOptions
        self.parallelism = parallelism
    }

    /// The MinAtar options for the game named `game`.
    public func resolvedMinAtarOptions(forGame game: String) -> MinAtarOptions {
        minAtarOptions ?? convention.options(forGame: game)
    }
}
