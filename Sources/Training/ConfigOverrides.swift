import Foundation

extension TrainingConfig {
    /// The configuration with fields replaced by `key=value` overrides (as given by
    /// `--set` or a config file). Keys are the field names (`learningRate`, `numEnvs`, ...);
    /// values are parsed by the field's type: numbers, `true`/`false`, comma-separated
    /// integers for widths, `none` to unset an optional (e.g. `maxGradientNorm=none`).
    public func applying(_ overrides: [(key: String, value: String)]) throws -> TrainingConfig {
        var fields: [String: Any] = [:]
        for child in Mirror(reflecting: self).children { if let label = child.label { fields[label] = child.value } }
        guard var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(self)) as? [String: Any] else {
            throw TrainingError.invalidConfig("cannot represent the configuration")
        }
        for (key, raw) in overrides {
            guard let current = fields[key] else {
                throw TrainingError.invalidConfig("unknown field '\(key)'; fields: " + fields.keys.sorted().joined(separator: ", "))
            }
            func bad(_ type: String) -> TrainingError {
                TrainingError.invalidConfig("\(key)=\(raw): expected \(type)")
            }
            switch current {
            case is Int:
                guard let v = Int(raw) ?? Double(raw).flatMap({ $0 == $0.rounded() && abs($0) < 1e18 ? Int($0) : nil }) else { throw bad("an integer") }
                object[key] = v
            case is Float, is Float?:
                let optional = Mirror(reflecting: current).displayStyle == .optional
                if raw == "none" && optional {
                    object[key] = nil
                } else {
                    guard let v = Double(raw), v.isFinite else { throw bad(optional ? "a number or none" : "a number") }
                    // The field is a Float: a Double beyond its range would only fail later,
                    // inside JSON decoding, with a message naming no field.
                    guard Float(v).isFinite else {
                        throw TrainingError.invalidConfig("\(key)=\(raw): out of range (the largest value is \(Float.greatestFiniteMagnitude))")
                    }
                    object[key] = v
                }
            case is Bool:
                guard let v = Bool(raw) else { throw bad("true or false") }
                object[key] = v
            case let choice as any ConfigChoice:
                let names = type(of: choice).choiceNames
                guard names.contains(raw) else { throw bad("one of " + names.joined(separator: ", ")) }
                object[key] = raw
            case is String:
                object[key] = raw
            case is [Int]:
                let pieces = raw.split(separator: ",", omittingEmptySubsequences: false)
                guard pieces.count <= 1024 else { throw bad("at most 1024 comma-separated integers") }
                let parts = pieces.map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw bad("comma-separated integers") }
                object[key] = parts.map { $0! }
            default:
                throw bad("a value of type \(type(of: current))")
            }
        }
        let config: TrainingConfig
        do {
            config = try JSONDecoder().decode(TrainingConfig.self, from: JSONSerialization.data(withJSONObject: object))
        } catch {
            let keys = overrides.map(\.key).joined(separator: ", ")
            throw TrainingError.invalidConfig("the overrides of \(keys) give no valid configuration: \(error)")
        }
        try config.validate()
        return config
    }

    /// Overrides read from a config file: one `key = value` per line, `#` starts a comment.
    public static func overrides(fromFile url: URL) throws -> [(key: String, value: String)] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TrainingError.invalidConfig("cannot read config file '\(url.path)': \(error.localizedDescription)")
        }
        var result: [(key: String, value: String)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TrainingError.invalidConfig("config file '\(url.path)' line \(number + 1): expected key = value, got '\(trimmed)'")
            }
            result.append((parts[0], parts[1]))
        }
        return result
    }
}
