import Foundation
import Tensors

/// One task in the catalog: its name, shapes and a factory of vector environments.
public struct EnvironmentEntry: Sendable {
    /// Lower-case CLI name.
    public let name: String
    /// Shape of one observation.
    public let observationShape: [Int]
    /// The action space under a configuration (MinAtar's depends on the action set).
    public let actionSpace: @Sendable (EnvironmentConfiguration) -> ActionSpace
    /// Builds `count` environments seeded by `seed` under a configuration.
    public let make: @Sendable (_ count: Int, _ seed: UInt64, _ configuration: EnvironmentConfiguration) throws -> any EnvironmentBatch
    /// The name of the training preset the task uses when none is given (`minatar`,
    /// `classic-control`, `brax-ant`, ...; see `TrainingPreset`).
    public let preset: String

    public init(name: String, observationShape: [Int], preset: String,
                actionSpace: @escaping @Sendable (EnvironmentConfiguration) -> ActionSpace,
                make: @escaping @Sendable (Int, UInt64, EnvironmentConfiguration) throws -> any EnvironmentBatch) {
        self.name = name
        self.preset = preset
        self.observationShape = observationShape
        self.actionSpace = actionSpace
        self.make = make
    }

    /// The entry of MinAtar game `G`, wrapped by `MinAtarEnvironment` with the configuration's options.
    public static func minAtar<G: MinAtarGame>(_ game: G.Type) -> EnvironmentEntry {
        EnvironmentEntry(
            name: G.name, observationShape: [10, 10, G.channelCount], preset: "minatar",
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
    public static func task<E: Environment>(_ name: String, maxEpisodeSteps: Int?, preset: String = "classic-control",
                                            make: @escaping @Sendable () -> E) -> EnvironmentEntry where E.Action: BatchedAction {
        let prototype = make()
        let space = prototype.actionSpace
        return EnvironmentEntry(
            name: name, observationShape: prototype.observationShape, preset: preset,
            actionSpace: { _ in space },
            make: { count, seed, configuration in
                try VectorEnvironment<E>(
                    name: name, count: count, seed: seed, maxEpisodeSteps: maxEpisodeSteps,
                    parallelism: configuration.parallelism ?? ProcessInfo.processInfo.activeProcessorCount,
                    make: { _ in make() })
            })
    }
}
