import Drifts
import Foundation
import Storage

extension RunFile {
    /// What `repoint` did to a file.
    public enum RepointOutcome: Equatable, Sendable {
        /// The file named `from` and now names the new drift file.
        case repointed(from: String)
        /// The file already named that drift file.
        case unchanged
    }

    /// Makes the run at `url` name the drift file `driftPath` instead of the path it was
    /// trained with, after checking that the file holds the very drift the run stored
    /// (`DriftIdentity`). A run names its drift file by path, so when a drift file is renamed
    /// (the CartPole LPO kept as `data/lpo-cartpole.h5` when `data/lpo.h5` becomes another
    /// drift), its runs follow it here instead of being retrained. Only the `drift` and
    /// `description_json` attributes change, and `drift_repointed_from` records the old path;
    /// the file is rewritten atomically. Partial runs resume under the new path. `driftPath` is
    /// stored as given: give it as the sweep files do (relative to the project root).
    public static func repoint(_ url: URL, toDriftFile driftPath: String) throws -> RepointOutcome {
        let file = try HDF5File.open(url)
        var description = try readDescription(try file.root, path: url.path)
        let stored = try DriftFile.read(from: try file.root, path: url.path)
        try file.close()
        guard case .file = try? DriftSpec(parsing: driftPath) else {
            throw TrainingError.invalidConfig("'\(driftPath)' does not name a drift file (a path ending in .h5)")
        }
        let target = try DriftFile.read(from: URL(fileURLWithPath: driftPath))
        guard DriftIdentity.same(stored, target) else {
            throw TrainingError.invalidRunFile(path: url.path, reason: "not repointed: its drift (\(stored.summary)) is not the one "
                                               + "in '\(driftPath)' (\(target.summary))")
        }
        guard description.drift != driftPath else { return .unchanged }
        let old = description.drift
        description.drift = driftPath
        try HDF5File.modifyAtomically(url) { copy in
            let root = try copy.root
            try root.setAttribute("drift", driftPath)
            try root.setAttribute("drift_repointed_from", old)
            try root.setAttribute("description_json", String(decoding: try JSONEncoder.sorted.encode(description), as: UTF8.self))
        }
        return .repointed(from: old)
    }
}
