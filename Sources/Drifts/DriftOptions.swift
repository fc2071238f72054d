/// The `key=value` options of a drift spec (`dpo:alpha=1.5,beta=0.8`), handed to
/// `RegisteredDrift.make`. Each `take`, `number` or `integer` call removes an option and
/// records the value used (the default when the option is absent), in call order: that record
/// is the spec's canonical form, so `DriftSpec.description` round-trips without each drift
/// writing its own printer. Options left untaken are an error naming the first of them.
public struct DriftOptions: Sendable {
    /// The spec's text, for error messages.
    public let spec: String
    private var remaining: [String: String]
    /// The values used, in the order they were taken.
    public private(set) var used: [DriftSpec.Option] = []

    /// Options parsed from `text` (`key=value,key=value`), each key at most once.
    public init(parsing text: String, in spec: String) throws {
        self.spec = spec
        var result: [String: String] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw DriftError.invalidSpec("'\(item)' in '\(spec)' is not key=value")
            }
            guard result[kv[0]] == nil else { throw DriftError.invalidSpec("option '\(kv[0])' given twice in '\(spec)'") }
            result[kv[0]] = kv[1]
        }
        remaining = result
    }

    /// Options already in canonical form (from `DriftSpec.Option`s).
    init(canonical options: [DriftSpec.Option], spec: String) {
        self.spec = spec
        remaining = Dictionary(options.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The raw text of option `key`, removed, or nil when absent (recorded only when present).
    public mutating func take(_ key: String) -> String? {
        guard let value = remaining.removeValue(forKey: key) else { return nil }
        used.append(.init(key: key, value: value))
        return value
    }

    /// The text of option `key`, or `defaultValue`, recorded either way.
    public mutating func take(_ key: String, default defaultValue: String) -> String {
        let value = remaining.removeValue(forKey: key) ?? defaultValue
        used.append(.init(key: key, value: value))
        return value
    }

    /// Option `key` as a finite number satisfying `valid` (`rule` says how in the error), or
    /// `defaultValue` when absent.
    public mutating func number(_ key: String, default defaultValue: Float, where valid: (Float) -> Bool = { _ in true },
                                _ rule: String = "a finite number") throws -> Float {
        var value = defaultValue
        if let raw = remaining.removeValue(forKey: key) {
            guard let x = Float(raw), x.isFinite, valid(x) else {
                throw DriftError.invalidSpec("\(key)=\(raw) in '\(spec)': \(key) must be \(rule)")
            }
            value = x
        }
        used.append(.init(key: key, value: "\(value)"))
        return value
    }

    /// Option `key` as a non-negative integer, or `defaultValue` when absent.
    public mutating func integer(_ key: String, default defaultValue: UInt64) throws -> UInt64 {
        var value = defaultValue
        if let raw = remaining.removeValue(forKey: key) {
            guard let x = UInt64(raw) else {
                throw DriftError.invalidSpec("\(key)=\(raw) in '\(spec)': \(key) must be a non-negative integer")
            }
            value = x
        }
        used.append(.init(key: key, value: "\(value)"))
        return value
    }

    /// Throws naming the first option (alphabetically) that no `take` asked for.
    public func checkAllTaken(kind: DriftKind) throws {
        if let unknown = remaining.keys.sorted().first {
            throw DriftError.invalidSpec("unknown option '\(unknown)' for \(kind.rawValue) in '\(spec)'")
        }
    }
}
