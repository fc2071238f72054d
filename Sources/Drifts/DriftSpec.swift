import Foundation

/// A drift named on the command line or in a config: `kind` or `kind:key=value,...` for any
/// registered kind (`ppo`, `ppo:eps=0.3`, `dpo:alpha=1.5,beta=0.8`, `lpo:init=random,seed=3`,
/// `lpo-zero:...`, `ta-lpo:...`; see `DriftRegistry`), or the path of a drift file (`*.h5`).
///
/// A parsed spec holds its options in canonical form (every option the drift reads, defaults
/// filled in, in the order the drift reads them), so `description` parses back to an equal spec.
public enum DriftSpec: Sendable, Equatable, CustomStringConvertible {
    /// A registered kind with its canonical options.
    case registered(DriftKind, [Option])
    /// A drift file.
    case file(path: String)

    /// One `key=value` option.
    public struct Option: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Parses a spec; the error names the offending part and lists what is valid.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw DriftError.invalidSpec("empty drift spec") }
        if trimmed.hasSuffix(".h5") || trimmed.contains("/") {
            self = .file(path: trimmed)
            return
        }
        // Empty pieces are kept so that ":" and "dpo:" reach the checks below (and never an
        // empty array).
        let parts = trimmed.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1 && parts[1].trimmingCharacters(in: .whitespaces).isEmpty {
            throw DriftError.invalidSpec("nothing after ':' in '\(text)'; give options like dpo:alpha=2 or leave out the ':'")
        }
        let kind = DriftKind(parts[0])
        guard let entry = DriftRegistry.entry(kind) else {
            throw DriftError.invalidSpec("unknown drift '\(parts[0])' in '\(text)'; expected one of "
                + DriftRegistry.kinds.map(\.rawValue).joined(separator: ", ") + ", or a drift file path ending in .h5")
        }
        var options = try DriftOptions(parsing: parts.count > 1 ? parts[1] : "", in: text)
        _ = try entry.make(kind, &options)
        try options.checkAllTaken(kind: kind)
        self = .registered(kind, options.used)
    }

    public var description: String {
        switch self {
        case .registered(let kind, let options):
            return options.isEmpty ? kind.rawValue : "\(kind.rawValue):" + options.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        case .file(let path): return path
        }
    }

    /// Builds the drift (reading the file for a file spec).
    public func makeDrift() throws -> any Drift {
        switch self {
        case .registered(let kind, let used):
            guard let entry = DriftRegistry.entry(kind) else {
                throw DriftError.invalidSpec("drift kind '\(kind.rawValue)' is not registered in this program")
            }
            var options = DriftOptions(canonical: used, spec: description)
            return try entry.make(kind, &options)
        case .file(let path): return try DriftFile.read(from: URL(fileURLWithPath: path))
        }
    }
}
