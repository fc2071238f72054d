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

/// One task in the catalog: its name, shapes and a factory of vector environments.
public struct EnvironmentEntry: Sendable {
    /// Lower-case CLI name.
    public let name: String
    /// Shape of one observation.
    public let observationShape: [Int]
    /// The action space under a configuration (MinAtar's depends on the action set).
    public let actionSpace: @Sendable (EnvironmentConfiguration) -> ActionSpace
    /// Builds `count` environments seeded by `seed` under a configuration.
    public let make: @Sendable (_ count: Int, _ seed: UInt64, _ configuration: EnvironmentConfiguration) throws -> any VectorEnv

    public init(name: String, observationShape: [Int],
                actionSpace: @escaping @Sendable (EnvironmentConfiguration) -> ActionSpace,
                make: @escaping @Sendable (Int, UInt64, EnvironmentConfiguration) throws -> any VectorEnv) {
        self.name = name
        self.observationShape = observationShape
        self.actionSpace = actionSpace
        self.make = make
    }

    /// The entry of MinAtar game `G`, wrapped by `MinAtarEnvironment` with the configuration's options.
    public static func minAtar<G: MinAtarGame>(_ game: G.Type) -> EnvironmentEntry {
        EnvironmentEntry(
            name: G.name, observationShape: [10, 10, G.channelCount],
            actionSpace: { configuration in
                let options = configuration.resolvedMinAtarOptions(forGame: G.name)
                return .discrete(count: options.actionSet == .full ? MinAtarAction.allCases.count : G.minimalActionSet.count)
            },
            make: { count, seed, configuration in
                let options = configuration.resolvedMinAtarOptions(forGame: G.name)
                try options.validate()
                return try VectorEnvironment<MinAtarEnvironment<G>>(
                    name: G.name, count: count, seed: seed, maxEpisodeSteps: options.maxEpisodeSteps,
                    parallelism: configuration.parallelism ?? ProcessInfo.processInfo.activeProcessorCount,
                    make: { _ in try MinAtarEnvironment<G>(options: options) })
            })
    }
}

extension EnvironmentEntry {
    /// The entry of a task without options (classic control): `make` builds one fresh
    /// environment, and episodes are truncated at `maxEpisodeSteps`.
    public static func task<E: Environment>(_ name: String, maxEpisodeSteps: Int?,
                                            make: @escaping @Sendable () -> E) -> EnvironmentEntry where E.Action: BatchedAction {
        let prototype = make()
        let space = prototype.actionSpace
        return EnvironmentEntry(
            name: name, observationShape: prototype.observationShape,
            actionSpace: { _ in space },
            make: { count, seed, configuration in
                try VectorEnvironment<E>(
                    name: name, count: count, seed: seed, maxEpisodeSteps: maxEpisodeSteps,
                    parallelism: configuration.parallelism ?? ProcessInfo.processInfo.activeProcessorCount,
                    make: { _ in make() })
            })
    }
}

/// The tasks DriftLab can build by name (`driftlab env ...`, training configs).
public enum EnvironmentCatalog {
    /// Every entry, in listing order. A new task is one line here: `.minAtar(Game.self)`, or an
    /// `EnvironmentEntry` whose `make` builds `VectorEnvironment<Concrete>` inside its closure,
    /// so that the stepping kernel is compiled for the concrete type.
    public static let entries: [EnvironmentEntry] = [
        .minAtar(Breakout.self),
        .minAtar(Asterix.self),
        .minAtar(Freeway.self),
        .minAtar(SpaceInvaders.self),
        .minAtar(Seaquest.self),
        .task("cartpole", maxEpisodeSteps: CartPole.maxEpisodeSteps) { CartPole() },
        .task("pendulum", maxEpisodeSteps: Pendulum.maxEpisodeSteps) { Pendulum() },
        .task("acrobot", maxEpisodeSteps: Acrobot.maxEpisodeSteps) { Acrobot() },
        .task("mountain-car-continuous", maxEpisodeSteps: MountainCarContinuous.maxEpisodeSteps) { MountainCarContinuous() },
    ]

    /// The valid names, in listing order.
    public static var names: [String] { entries.map(\.name) }

    /// The entry named `name` (lower-case); throws `EnvironmentError.unknownEnvironment`
    /// listing the valid names otherwise.
    public static func entry(named name: String) throws -> EnvironmentEntry {
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw EnvironmentError.unknownEnvironment(name: name, valid: names)
        }
        return entry
    }

    /// Builds `count` environments of task `name` seeded by `seed`.
    public static func make(_ name: String, count: Int, seed: UInt64,
                            configuration: EnvironmentConfiguration = EnvironmentConfiguration()) throws -> any VectorEnv {
        try entry(named: name).make(count, seed, configuration)
    }
}
