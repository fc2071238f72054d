import Environments
import Foundation

extension EnvironmentEntry {
    /// The catalog entry of MuJoCo task `T`: `VectorEnvironment<MuJoCoEnvironment<T>>` over the
    /// task's shipped model, truncated at `T.maxEpisodeSteps`, trained by default with the
    /// paper's Brax preset of the task. A MuJoCo step costs tens of microseconds, so a
    /// parallel chunk is worth it from 4 environments on.
    public static func mujoco<T: MuJoCoTask>(_ task: T.Type) -> EnvironmentEntry {
        EnvironmentEntry(
            name: T.name, observationShape: [T.observationSize], preset: "brax-\(T.name)",
            actionSpace: { _ in T.actionSpace },
            make: { count, seed, configuration in
                let model = try MuJoCoModelLibrary.shared.model(named: T.modelName)
                return try VectorEnvironment<MuJoCoEnvironment<T>>(
                    name: T.name, count: count, seed: seed, maxEpisodeSteps: T.maxEpisodeSteps,
                    parallelism: configuration.parallelism ?? ProcessInfo.processInfo.activeProcessorCount,
                    minimumEnvironmentsPerTask: 4,
                    make: { _ in try MuJoCoEnvironment<T>(model: model) })
            })
    }
}

/// The MuJoCo tasks, in listing order.
public enum MuJoCoCatalog {
    /// Every MuJoCo task type.
    public static let tasks: [any MuJoCoTask.Type] = [
        Ant.self, HalfCheetah.self, Hopper.self, Walker2d.self,
        Humanoid.self, Reacher.self, InvertedPendulum.self, Swimmer.self,
        Fetch.self, UR5e.self, Grasp.self,
    ]

    /// Every MuJoCo task's catalog entry.
    public static let entries: [EnvironmentEntry] = tasks.map { EnvironmentEntry.mujoco($0) }

    /// The task named `name`, or nil when it is not a MuJoCo task.
    public static func task(named name: String) -> (any MuJoCoTask.Type)? {
        tasks.first { $0.name == name }
    }
}
