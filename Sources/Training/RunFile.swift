import Drifts
import Foundation
import Storage
import Tensors

/// Run files (schema in docs/FILE-FORMATS.md): the description and provenance as root
/// attributes, the configuration under `/config`, the drift under `/drift`, one dataset per
/// curve under `/curves` (a row per update), and the latest checkpoint under
/// `/checkpoints/latest`. Every write replaces the whole file atomically.
public enum RunFile {
    /// Writes a run file.
    ///
    /// `rollouts` are written under `/rollouts/update_<k>`; rollout groups already in the file
    /// at `url` (from earlier checkpoints) are carried over first.
    public static func write(to url: URL, description: RunDescription, drift: any Drift, curves: [UpdateMetrics],
                             checkpoint: TrainerCheckpoint?, policy: TrainedPolicy? = nil, complete: Bool,
                             provenance: [String: String], rollouts: [RecordedRollout] = []) throws {
        // Earlier rollouts live only in the previous file: copy them across.
        let previous = FileManager.default.fileExists(atPath: url.path) ? try HDF5File.open(url) : nil
        let carried = try previous.flatMap { old in try old.root.contains("rollouts") ? try old.root.openGroup("rollouts") : nil }
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            for (key, value) in provenance.sorted(by: { $0.key < $1.key }) { try root.setAttribute(key, value) }
            try root.setAttribute("env", description.env)
            try root.setAttribute("drift", description.drift)
            try root.setAttribute("drift_summary", drift.summary)
            try root.setAttribute("preset", description.preset)
            try root.setAttribute("seed", Int64(bitPattern: description.seed))
            try root.setAttribute("convention", description.convention)
            try root.setAttribute("status", complete ? "complete" : "running")
            try root.setAttribute("description_json", String(decoding: try JSONEncoder.sorted.encode(description), as: UTF8.self))
            try writeConfig(description.config, into: try root.createGroup("config"))
            try DriftFile.write(drift, into: root)

            let group = try root.createGroup("curves")
            // Every key that arrives: the standard curves first, then any other metric the loss
            // reported, NaN in rows without it.
            var names = UpdateMetrics.standardNames
            for row in curves { for name in row.names where !names.contains(name) { names.append(name) } }
            for name in names {
                try group.write(curves.map { $0[name] }, shape: [curves.count], to: name)
            }
            try group.setAttribute("rows", "one row per update; env_steps counts all parallel environments")

            if carried != nil || !rollouts.isEmpty {
                let group = try root.createGroup("rollouts")
                let keep = checkpoint?.updatesDone ?? Int.max
                if let carried {
                    for name in try carried.children() where (Int(name.dropFirst("update_".count)) ?? Int.max) <= keep {
                        try carried.copy(name, to: group)
                    }
                }
                for rollout in rollouts where rollout.update <= keep {
                    try writeRollout(rollout, into: try group.createGroup(String(format: "update_%06d", rollout.update)))
                }
            }

            if let checkpoint {
                let saved = try root.createGroup("checkpoints/latest")
                try saved.setAttribute("update", checkpoint.updatesDone)
                try saved.write(checkpoint.parameters, shape: [checkpoint.parameters.count], to: "parameters")
                // The exact state (optimiser moments, normaliser, random streams, environments) as
                // JSON: Swift prints Float and Double in round-trip form, so resume is bit-identical.
                let state = try JSONEncoder.sorted.encode(checkpoint)
                try saved.write([UInt8](state), shape: [state.count], to: "state_json",
                                options: .compressed(level: 4))
            }
            if let policy { try policy.write(into: try root.createGroup("policy")) }
        }
    }

    /// One rollout's arrays as chunked, gzip-compressed datasets.
    static func writeRollout(_ r: RecordedRollout, into group: HDF5Group) throws {
        let tn = [r.steps, r.envs]
        let options = HDF5DatasetOptions.compressed(level: 4)
        try group.setAttribute("update", r.update)
        try group.setAttribute("layout", "time-major [T, N, ...]; rewards after reward scaling")
        try group.write(r.observations, shape: tn + r.observationShape, to: "observations", options: options)
        if r.preTanhActions.isEmpty {
            try group.write(r.discreteActions, shape: tn, to: "actions", options: options)
        } else {
            try group.write(r.preTanhActions, shape: r.actionShape, to: "pre_tanh_actions", options: options)
        }
        try group.write(r.rewards, shape: tn, to: "rewards", options: options)
        try group.write(r.terminated, shape: tn, to: "terminated", options: options)
        try group.write(r.truncated, shape: tn, to: "truncated", options: options)
        try group.write(r.logProbs, shape: tn, to: "log_probs", options: options)
        try group.write(r.values, shape: tn, to: "values", options: options)
        try group.write(r.advantages, shape: tn, to: "advantages", options: options)
        try group.write(r.returns, shape: tn, to: "returns", options: options)
    }

    /// The contents of a run file.
    public struct Contents {
        public var description: RunDescription
        public var drift: any Drift
        public var curves: [UpdateMetrics]
        /// The resume state; nil once the file is compacted.
        public var checkpoint: TrainerCheckpoint?
        /// The finished policy (`/policy`), present in complete runs.
        public var policy: TrainedPolicy?
        public var complete: Bool

        public init(description: RunDescription, drift: any Drift, curves: [UpdateMetrics],
                    checkpoint: TrainerCheckpoint?, policy: TrainedPolicy? = nil, complete: Bool) {
            self.description = description
            self.drift = drift
            self.curves = curves
            self.checkpoint = checkpoint
            self.policy = policy
            self.complete = complete
        }
    }

    /// The run description of a run file's root group, checking first that it is a run file
    /// (a `description_json` attribute and a `/curves` group).
    public static func readDescription(_ root: HDF5Group, path: String) throws -> RunDescription {
        guard try root.hasAttribute("description_json"), try root.contains("curves") else {
            throw TrainingError.invalidRunFile(path: path, reason: "not a DriftLab run file (no description_json attribute or /curves group)")
        }
        let json = try root.attribute("description_json", as: String.self)
        do {
            return try JSONDecoder().decode(RunDescription.self, from: Data(json.utf8))
        } catch {
            throw TrainingError.invalidRunFile(path: path, reason: "description_json is not a valid run description: \(error)")
        }
    }

    /// Reads a run file; errors name the file and what is missing.
    public static func read(from url: URL) throws -> Contents {
        let file = try HDF5File.open(url)
        let root = try file.root
        let description = try readDescription(root, path: url.path)
        // A drift of a kind this program does not know (defined in another package) does not
        // stop the curves, description and policy from reading.
        let kind = try DriftFile.kind(in: root, path: url.path)
        let drift: any Drift = DriftRegistry.isRegistered(kind) ? try DriftFile.read(from: root, path: url.path)
            : UnregisteredDrift(kind: kind, recordedSummary: try root.hasAttribute("drift_summary")
                                    ? try root.attribute("drift_summary", as: String.self) : nil)
        let curvesGroup = try root.openGroup("curves")
        var columns: [String: [Double]] = [:]
        for name in try curvesGroup.children() {
            columns[name] = try curvesGroup.read(name, as: Double.self).values
        }
        let rows = columns["update"]?.count ?? 0
        guard columns.values.allSatisfy({ $0.count == rows }) else {
            throw TrainingError.invalidRunFile(path: url.path, reason: "curves under /curves have different lengths")
        }
        let curves = (0..<rows).map { i in UpdateMetrics(curveValues: columns.mapValues { $0[i] }) }
        var checkpoint: TrainerCheckpoint?
        if try root.contains("checkpoints/latest") {
            let bytes = try root.openGroup("checkpoints/latest").read("state_json", as: UInt8.self).values
            do {
                checkpoint = try JSONDecoder().decode(TrainerCheckpoint.self, from: Data(bytes))
            } catch {
                throw TrainingError.invalidRunFile(path: url.path, reason: "/checkpoints/latest/state_json is corrupt: \(error)")
            }
        }
        let policy = try root.contains("policy") ? try TrainedPolicy.read(from: try root.openGroup("policy"), path: url.path) : nil
        let complete = try root.hasAttribute("status") && root.attribute("status", as: String.self) == "complete"
        return Contents(description: description, drift: drift, curves: curves, checkpoint: checkpoint, policy: policy,
                        complete: complete)
    }

    /// Every configuration field as an attribute of `/config`, so h5py users see them by
    /// name; an optional field that is unset (e.g. no gradient clipping) is absent.
    static func writeConfig(_ config: TrainingConfig, into group: HDF5Group) throws {
        for child in Mirror(reflecting: config).children {
            guard let key = child.label else { continue }
            switch child.value {
            // Booleans as the integers 0 and 1, which h5py and R read as numbers. Older files
            // hold the strings "true" and "false" here; nothing reads /config back (the run's
            // description_json is the source), so both kinds of file still read. Bool is
            // matched before Int, where Foundation could bridge it to a number.
            case let v as Bool: try group.setAttribute(key, v ? 1 : 0)
            case let v as Int: try group.setAttribute(key, v)
            case let v as Float: try group.setAttribute(key, v.decimalDouble)
            case let v as Float?: if let v { try group.setAttribute(key, v.decimalDouble) }
            case let v as String: try group.setAttribute(key, v)
            case let v as any ConfigChoice: try group.setAttribute(key, v.rawValue)
            case let v as [Int]: try group.setAttribute(key, v)
            default: try group.setAttribute(key, "\(child.value)")
            }
        }
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, so files written twice are byte-identical.
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
