import Foundation
import Storage
import Tensors

/// Drift files: a drift stored in HDF5 so that DriftLab, h5py and HDFView users read the
/// same thing (schema in docs/FILE-FORMATS.md).
///
/// Group `/drift` carries the attribute `kind` (`ppo`, `dpo`, `lpo`, `lpo-zero`, `ta-lpo`, or
/// a kind registered by another package) and whatever the kind's `RegisteredDrift.write`
/// stores: `ppo_eps` for PPO; `alpha`, `beta` for DPO; for networks attributes and
/// `/drift/layer_<i>` datasets (see `NetworkDrift`).
public enum DriftFile {
    /// Name of the group holding the drift.
    public static let groupName = "drift"

    /// Writes `drift` to `url` atomically (temp file + rename), with extra provenance
    /// attributes on the file's root (e.g. `driftlab_version`, `command`).
    public static func write(_ drift: any Drift, to url: URL, provenance: [String: String] = [:]) throws {
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            for (key, value) in provenance.sorted(by: { $0.key < $1.key }) { try root.setAttribute(key, value) }
            try write(drift, into: root)
        }
    }

    /// Writes `drift` as the group `drift` inside `parent` (so ES files can hold it beside
    /// their own state). Replaces nothing: `parent` must not have a `drift` child yet. The
    /// drift's type must be registered (`DriftRegistry`).
    public static func write(_ drift: any Drift, into parent: HDF5Group) throws {
        guard let entry = DriftRegistry.entry(drift.kind) else {
            throw DriftError.invalidNetwork("cannot store a drift of kind '\(drift.kind.rawValue)': it is not registered (DriftRegistry.register)")
        }
        let group = try parent.createGroup(groupName)
        try group.setAttribute("kind", drift.kind.rawValue)
        guard try entry.write(drift, group) else {
            throw DriftError.invalidNetwork("cannot store a drift of type \(type(of: drift)) as kind '\(drift.kind.rawValue)'")
        }
    }

    /// Reads the drift stored in the file at `url`.
    public static func read(from url: URL) throws -> any Drift {
        let file = try HDF5File.open(url) // closed when released
        return try read(from: try file.root, path: url.path)
    }

    /// The `kind` attribute of the `drift` group inside `parent`, registered or not.
    public static func kind(in parent: HDF5Group, path: String) throws -> DriftKind {
        guard try parent.contains(groupName) else {
            throw DriftError.invalidFile(path: path, reason: "no /\(groupName) group: not a DriftLab drift file")
        }
        let name = try parent.openGroup(groupName).attribute("kind", as: String.self)
        guard let kind = DriftKind(rawValue: name) else {
            throw DriftError.invalidFile(path: path, reason: "empty drift kind in /drift")
        }
        return kind
    }

    /// Reads the `drift` group inside `parent`; `path` names the file in errors.
    public static func read(from parent: HDF5Group, path: String) throws -> any Drift {
        let kind = try kind(in: parent, path: path)
        guard let entry = DriftRegistry.entry(kind) else {
            throw DriftError.invalidFile(path: path, reason: "unknown drift kind '\(kind.rawValue)' in /drift (expected "
                + DriftRegistry.kinds.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return try entry.read(kind, try parent.openGroup(groupName), path)
    }
}
