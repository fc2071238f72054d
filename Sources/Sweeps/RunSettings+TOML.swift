import Foundation
import TaskCatalog
import TOMLKit
import Training

extension RunSettings {
    /// The keys a config file may have besides the hyperparameters.
    public static let runKeys = ["env", "drift", "preset", "seed", "convention", "steps"]

    /// Reads a config file: TOML (run keys and hyperparameters at the top level or under
    /// `[config]`, as `--print-config` writes them), or the older `key = value` lines with
    /// unquoted values (`activation = tanh`), which hold hyperparameters only.
    public static func read(_ url: URL) throws -> RunSettings {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw RunSettingsError.invalidFile(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do {
            return try RunSettings(toml: text, path: url.path)
        } catch let tomlError as RunSettingsError {
            guard case .invalidFile = tomlError,
                  let pairs = try? TrainingConfig.overrides(fromFile: url),
                  pairs.allSatisfy({ (try? configKey($0.key)) != nil }) else { throw tomlError }
            return RunSettings(hyperparameters: pairs.map { Override(key: $0.key, value: $0.value) })
        }
    }

    /// Parses config-file TOML; errors name `path` and the key.
    public init(toml text: String, path: String) throws {
        func fail(_ reason: String) -> RunSettingsError { .invalidFile(path: path, reason: reason) }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw fail("line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw fail("not a TOML file: \(error)")
        }
        self.init()
        for key in table.keys.sorted() {
            let value = table[key]!
            switch key {
            case "config":
                guard let inner = value.table else { throw fail("config: expected a [config] table of hyperparameters") }
                for name in SweepPlan.orderedKeys(of: inner, section: "config", in: text) {
                    try addHyperparameter(name, inner[name]!, path: path)
                }
            case "env", "drift", "preset", "convention":
                guard let string = value.string else { throw fail("\(key): expected a string, got \(value.debugDescription)") }
                switch key {
                case "env": env = string
                case "drift": drift = string
                case "preset": preset = string
                default: convention = string
                }
            case "seed":
                guard let seed = value.int, seed >= 0 else { throw fail("seed: expected a non-negative integer") }
                self.seed = UInt64(seed)
            case "steps":
                guard let steps = value.int ?? value.double.flatMap({ $0 == $0.rounded() && abs($0) < 1e18 ? Int($0) : nil }) else {
                    throw fail("steps: expected a whole number of steps, e.g. 1000000 or 1e6")
                }
                self.steps = steps
            default:
                try addHyperparameter(key, value, path: path)
            }
        }
    }

    private mutating func addHyperparameter(_ key: String, _ value: any TOMLValueConvertible, path: String) throws {
        let field: String
        do { field = try Self.configKey(key) } catch {
            let known = Self.runKeys + Self.configKeys
            throw RunSettingsError.invalidFile(path: path, reason: "unknown key '\(key)'" + NameSuggestion.hint(for: key, in: known)
                                               + "; keys: " + known.joined(separator: ", "))
        }
        guard let text = SweepPlan.overrideText(value) else {
            throw RunSettingsError.invalidFile(path: path, reason: "\(key): unsupported value \(value.debugDescription)")
        }
        hyperparameters.append(Override(key: field, value: text))
    }

    // MARK: Writing

    /// `description` as a config file that ``read(_:)`` turns back into the same run: the run
    /// keys, then every hyperparameter under `[config]` in declaration order.
    public static func toml(for description: RunDescription, comment: String? = nil) -> String {
        var lines: [String] = []
        if let comment { lines += comment.split(separator: "\n").map { "# \($0)" } }
        lines.append("env = \(quoted(description.env))")
        lines.append("drift = \(quoted(description.drift))")
        lines.append("preset = \(quoted(description.preset))")
        lines.append("seed = \(description.seed)")
        lines.append("convention = \(quoted(description.convention))")
        lines.append("")
        lines.append("[config]")
        let config = description.config
        lines.append("# \(config.numUpdates) updates of \(config.batchSize) steps (numEnvs x rolloutSteps), "
                     + "minibatches of \(config.minibatchSize)")
        for child in Mirror(reflecting: config).children {
            guard let label = child.label else { continue }
            lines.append("\(label) = \(tomlValue(child.value))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A field's value in TOML: numbers as Swift prints them (the shortest text that reads
    /// back to the same `Float`), an absent optional as `"none"` (as `--set` takes it),
    /// enums by their raw value.
    static func tomlValue(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return quoted("none") }
            return tomlValue(wrapped)
        }
        switch value {
        case let v as Bool: return v ? "true" : "false"
        case let v as Int: return "\(v)"
        case let v as Float: return v == v.rounded() && abs(v) < 1e15 ? String(format: "%.1f", Double(v)) : "\(v)"
        case let v as Double: return "\(v)"
        case let v as String: return quoted(v)
        case let v as [Int]: return "[" + v.map(String.init).joined(separator: ", ") + "]"
        case let v as any RawRepresentable: return quoted("\(v.rawValue)")
        default: return quoted("\(value)")
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
