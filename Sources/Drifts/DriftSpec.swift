import Foundation

/// A drift named on the command line or in a config:
/// `ppo`, `ppo:eps=0.3`, `dpo`, `dpo:alpha=1.5,beta=0.8`, `lpo`, `lpo:init=zero`,
/// `lpo:init=random,seed=3`, `lpo-zero:...`, `ta-lpo:...` (networks also take `xi=1e-6`),
/// or the path of a drift file (`*.h5`).
public enum DriftSpec: Sendable, Equatable, CustomStringConvertible {
    case ppo(epsilon: Float)
    case dpo(alpha: Float, beta: Float)
    case network(kind: DriftKind, initialisation: NetworkDrift.Initialisation, xi: Float)
    case file(path: String)

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
        guard let kind = DriftKind(rawValue: parts[0]) else {
            throw DriftError.invalidSpec("unknown drift '\(parts[0])' in '\(text)'; expected one of "
                + DriftKind.allCases.map(\.rawValue).joined(separator: ", ") + ", or a drift file path ending in .h5")
        }
        var options = try Self.options(parts.count > 1 ? parts[1] : "", in: text)
        func take(_ key: String) -> String? { options.removeValue(forKey: key) }
        func number(_ key: String, default value: Float, where valid: (Float) -> Bool, _ rule: String) throws -> Float {
            guard let raw = take(key) else { return value }
            guard let x = Float(raw), x.isFinite, valid(x) else {
                throw DriftError.invalidSpec("\(key)=\(raw) in '\(text)': \(key) must be \(rule)")
            }
            return x
        }
        switch kind {
        case .ppo:
            self = .ppo(epsilon: try number("eps", default: 0.2, where: { $0 > 0 && $0 < 1 }, "a number in (0, 1)"))
        case .dpo:
            let alpha = try number("alpha", default: 2, where: { $0 > 0 }, "a positive number")
            let beta = try number("beta", default: 0.6, where: { $0 > 0 }, "a positive number")
            self = .dpo(alpha: alpha, beta: beta)
        case .lpo, .lpoZero, .temporallyAwareLPO:
            let xi = try number("xi", default: NetworkDrift.defaultXi, where: { $0 >= 0 }, "a number >= 0")
            let initialisation: NetworkDrift.Initialisation
            switch take("init") ?? "zero" {
            case "zero":
                initialisation = .zero
                if let seed = take("seed") {
                    throw DriftError.invalidSpec("seed=\(seed) in '\(text)' needs init=random")
                }
            case "random":
                let raw = take("seed") ?? "0"
                guard let seed = UInt64(raw) else {
                    throw DriftError.invalidSpec("seed=\(raw) in '\(text)': seed must be a non-negative integer")
                }
                initialisation = .random(seed: seed)
            case let other:
                throw DriftError.invalidSpec("init=\(other) in '\(text)': init must be zero or random")
            }
            self = .network(kind: kind, initialisation: initialisation, xi: xi)
        }
        if let unknown = options.keys.sorted().first {
            throw DriftError.invalidSpec("unknown option '\(unknown)' for \(kind.rawValue) in '\(text)'")
        }
    }

    static func options(_ text: String, in spec: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw DriftError.invalidSpec("'\(item)' in '\(spec)' is not key=value")
            }
            guard result[kv[0]] == nil else { throw DriftError.invalidSpec("option '\(kv[0])' given twice in '\(spec)'") }
            result[kv[0]] = kv[1]
        }
        return result
    }

    public var description: String {
        switch self {
        case .ppo(let eps): return "ppo:eps=\(eps)"
        case .dpo(let a, let b): return "dpo:alpha=\(a),beta=\(b)"
        case .network(let kind, let initialisation, let xi):
            switch initialisation {
            case .zero: return "\(kind.rawValue):init=zero,xi=\(xi)"
            case .random(let seed): return "\(kind.rawValue):init=random,seed=\(seed),xi=\(xi)"
            }
        case .file(let path): return path
        }
    }

    /// Builds the drift (reading the file for `.file`).
    public func makeDrift() throws -> any Drift {
        switch self {
        case .ppo(let eps): return PPODrift(epsilon: eps)
        case .dpo(let a, let b): return DPODrift(alpha: a, beta: b)
        case .network(let kind, let initialisation, let xi):
            return try NetworkDrift.make(kind, initialisation: initialisation, xi: xi)
        case .file(let path): return try DriftFile.read(from: URL(fileURLWithPath: path))
        }
    }
}
