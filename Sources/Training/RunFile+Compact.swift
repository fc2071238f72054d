import Foundation
import Storage

extension RunFile {
    /// What `compact` did to a file.
    public enum CompactOutcome: Equatable, Sendable {
        case compacted(bytesBefore: Int, bytesAfter: Int)
        /// Complete and without resume state already.
        case alreadyCompact
        /// Still training: its resume state is kept.
        case running
    }

    /// Drops the resume state (`/checkpoints`: optimiser moments, random streams, environment
    /// snapshots) of a complete run, keeping every attribute, the config, drift, curves,
    /// rollouts and the finished policy. The resume state of a Brax-preset run is several
    /// megabytes, almost all of it the critic's Adam moments; curves and policy are a few
    /// hundred kilobytes. The file is rewritten atomically; a run still training is left alone.
    public static func compact(_ url: URL) throws -> CompactOutcome {
        let contents = try read(from: url)
        guard contents.complete else { return .running }
        guard contents.checkpoint != nil else { return .alreadyCompact }
        // Files written before /policy existed get it from their checkpoint now.
        let actorParameterCount = try RunEvaluation.actor(
            for: contents.description, env: RunEvaluation.environment(for: contents.description, episodes: 1)).parameterCount
        let policy = try contents.policy ?? RunEvaluation.policy(of: contents, path: url.path, actorParameterCount: actorParameterCount)
        // The resume state is the only other copy of the policy: never drop it for a policy
        // that is truncated or NaN.
        do {
            try policy.validate(actorParameterCount: actorParameterCount, path: url.path)
        } catch TrainingError.invalidRunFile(let path, let reason) {
            throw TrainingError.invalidRunFile(path: path, reason: "not compacted, its resume state is kept: \(reason)")
        }
        let before = try fileSize(url)
        let old = try HDF5File.open(url)
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root, source = try old.root
            for name in try source.attributeNames() { try root.setAttribute(name, try source.attributeValue(name)) }
            for child in try source.children() where child != "checkpoints" && child != "policy" {
                try source.copy(child, to: root)
            }
            try policy.write(into: try root.createGroup("policy"))
        }
        try old.close()
        return .compacted(bytesBefore: before, bytesAfter: try fileSize(url))
    }

    private static func fileSize(_ url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    }
}
