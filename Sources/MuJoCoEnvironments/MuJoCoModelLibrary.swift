import Foundation

/// The project's MJCF models (package resources under `Models/`), each compiled once per
/// process and shared: every environment of a task and every test use one `MuJoCoModel`.
///
/// The model directory is looked up, in order, at `$DRIFTLAB_MUJOCO_MODELS`, beside the
/// running executable (`DriftLab_MuJoCoEnvironments.resources/Models`, where SwiftPM puts a
/// target's resources, so a copied binary works when its resource folder travels with it),
/// and finally through the package's resource bundle.
public final class MuJoCoModelLibrary: @unchecked Sendable {
    /// The process-wide library.
    public static let shared = MuJoCoModelLibrary()

    private let lock = NSLock()
    private var loaded: [String: MuJoCoModel] = [:]

    /// The directory holding the `.xml` models.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["DRIFTLAB_MUJOCO_MODELS"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let beside = executable.deletingLastPathComponent()
            .appendingPathComponent("DriftLab_MuJoCoEnvironments.resources/Models", isDirectory: true)
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return Bundle.module.resourceURL!.appendingPathComponent("Models", isDirectory: true)
    }

    /// The file of model `name` (`ant` -> `.../Models/ant.xml`).
    public static func url(ofModel name: String) -> URL {
        directory.appendingPathComponent("\(name).xml")
    }

    /// Model `name`, compiled on first use; throws with the file's path and MuJoCo's message.
    public func model(named name: String) throws -> MuJoCoModel {
        try model(at: Self.url(ofModel: name))
    }

    /// The model in file `url`, compiled on first use.
    public func model(at url: URL) throws -> MuJoCoModel {
        lock.lock()
        defer { lock.unlock() }
        if let model = loaded[url.path] { return model }
        let model = try MuJoCoModel(contentsOf: url)
        loaded[url.path] = model
        return model
    }
}
