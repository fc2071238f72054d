import Environments
import Foundation
import MuJoCoEnvironments

/// The tasks DriftLab can build by name (`driftlab env ...`, training configs).
public enum EnvironmentCatalog {
    /// Every entry, in listing order. A new task is one line here: `.minAtar(Game.self)`,
    /// `.mujoco(Task.self)` (in `MuJoCoCatalog`), or an `EnvironmentEntry` whose `make` builds
    /// `VectorEnvironment<Concrete>` inside its closure, so that the stepping kernel is
    /// compiled for the concrete type.
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
    ] + MuJoCoCatalog.entries

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
                            configuration: EnvironmentConfiguration = EnvironmentConfiguration()) throws -> any EnvironmentBatch {
        try entry(named: name).make(count, seed, configuration)
    }
}
