import Drifts
import Environments
import Foundation
import TaskCatalog
import Training

/// The settings of one training run as a user gives them: in a config file
/// (`driftlab train --config FILE.toml`), as command-line flags, or both (flags win). Every
/// field is optional until ``resolve(saveRolloutsEvery:)`` fills the gaps from the preset and
/// checks names, with a "did you mean" for a misspelt environment, preset, drift option or
/// hyperparameter key.
public struct RunSettings: Sendable, Equatable {
    /// Environment name, in any spelling `EnvironmentNames` accepts (`cartpole`, `CartPole-v1`).
    public var env: String?
    /// Drift spec (`ppo`, `dpo:alpha=2`, a drift file); `ppo` when absent.
    public var drift: String?
    /// Preset name; the environment's default when absent.
    public var preset: String?
    /// Seed; 0 when absent.
    public var seed: UInt64?
    /// MinAtar convention (`gymnax` or `original`); `gymnax` when absent.
    public var convention: String?
    /// Total environment steps (the preset's when absent).
    public var steps: Int?
    /// Hyperparameter overrides in the order given; later ones win. Keys in any case or
    /// separator style (`learningRate`, `learning-rate`, `learning_rate`).
    public var hyperparameters: [Override]

    /// One `key = value` hyperparameter override, the value as `--set` would write it.
    public struct Override: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public init(env: String? = nil, drift: String? = nil, preset: String? = nil, seed: UInt64? = nil,
                convention: String? = nil, steps: Int? = nil, hyperparameters: [Override] = []) {
        self.env = env
        self.drift = drift
        self.preset = preset
        self.seed = seed
        self.convention = convention
        self.steps = steps
        self.hyperparameters = hyperparameters
    }

    /// These settings with every field that `other` gives replacing this one's; `other`'s
    /// hyperparameters come after (and so win over) these.
    public func overridden(by other: RunSettings) -> RunSettings {
        RunSettings(env: other.env ?? env, drift: other.drift ?? drift, preset: other.preset ?? preset,
                    seed: other.seed ?? seed, convention: other.convention ?? convention, steps: other.steps ?? steps,
                    hyperparameters: hyperparameters + other.hyperparameters)
    }

    // MARK: Resolving

    /// The run these settings describe: the environment's catalog name, the preset (named or
    /// the environment's default) with the overrides applied and validated, and a drift spec
    /// that parses.
    public func resolve(saveRolloutsEvery: Int = 0) throws -> RunDescription {
        guard let env else { throw RunSettingsError.missingEnvironment }
        let name = try EnvironmentNames.resolve(env)
        let presetValue = try Self.preset(named: preset, environment: name)
        var pairs = try hyperparameters.map { (key: try Self.configKey($0.key), value: $0.value) }
        if let steps { pairs.append(("totalSteps", "\(steps)")) }
        let config = try presetValue.config.applying(pairs)
        let spec = drift ?? "ppo"
        _ = try Self.makeDrift(spec)
        let conventionValue = try convention.map { raw in
            guard let value = MinAtarConvention(rawValue: raw) else {
                throw RunSettingsError.invalidValue(key: "convention", value: raw,
                                                    valid: MinAtarConvention.allCases.map(\.rawValue))
            }
            return value
        } ?? .gymnax
        return RunDescription(env: name, drift: spec, preset: presetValue.rawValue, seed: seed ?? 0,
                              convention: conventionValue.rawValue, config: config, saveRolloutsEvery: saveRolloutsEvery)
    }

    /// The preset named `name`, or the environment's default; an unknown name gets a "did you
    /// mean" and the list of presets.
    public static func preset(named name: String?, environment: String) throws -> TrainingPreset {
        guard let name else { return TrainingPreset.defaultPreset(forEnvironment: environment) }
        if let preset = TrainingPreset(rawValue: name) ?? TrainingPreset(rawValue: name.lowercased()) { return preset }
        throw RunSettingsError.invalidValue(key: "preset", value: name, valid: TrainingPreset.allCases.map(\.rawValue))
    }

    /// The drift of `spec`; a parse error gets a "did you mean" for a misspelt drift name or
    /// option (see ``DriftSpecHint``).
    public static func makeDrift(_ spec: String) throws -> any Drift {
        do { return try DriftSpec(parsing: spec).makeDrift() } catch {
            let hint = DriftSpecHint.hint(for: spec)
            guard !hint.isEmpty else { throw error }
            throw RunSettingsError.driftSpec(message: "\(error)", hint: hint)
        }
    }

    // MARK: Hyperparameter keys

    /// The hyperparameter fields of `TrainingConfig`, in declaration order.
    public static let configKeys: [String] = Mirror(reflecting: TrainingConfig()).children.compactMap(\.label)

    /// The field that `key` names in camelCase, kebab-case or snake_case, in any case; an
    /// unknown key gets a "did you mean" and the list of fields.
    public static func configKey(_ key: String) throws -> String {
        if configKeys.contains(key) { return key }
        let folded = NameSuggestion.folded(key)
        if let field = configKeys.first(where: { NameSuggestion.folded($0) == folded }) { return field }
        throw TrainingError.invalidConfig("unknown field '\(key)'" + NameSuggestion.hint(for: key, in: configKeys)
                                          + "; fields: " + configKeys.joined(separator: ", "))
    }

    /// A note when `config.totalSteps` is not a whole number of updates: training runs
    /// `numUpdates` rollouts of `batchSize` steps, so the rest is never taken.
    public static func roundingNote(_ config: TrainingConfig) -> String? {
        let used = config.numUpdates * config.batchSize
        guard used != config.totalSteps else { return nil }
        return "\(config.totalSteps) steps is rounded down to whole updates of \(config.batchSize) steps "
            + "(numEnvs \(config.numEnvs) x rolloutSteps \(config.rolloutSteps)): \(used) steps in \(config.numUpdates) updates"
    }
}

/// Errors of ``RunSettings``: each names the setting and, where one is near, the value meant.
public enum RunSettingsError: Error, CustomStringConvertible, Equatable {
    /// No environment was given.
    case missingEnvironment
    /// A value outside the valid ones.
    case invalidValue(key: String, value: String, valid: [String])
    /// A drift spec that does not parse, with a suggestion.
    case driftSpec(message: String, hint: String)
    /// A config file that cannot be read or holds something else than settings.
    case invalidFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingEnvironment:
            return "no environment: give --env NAME (or env = \"NAME\" in the --config file)"
        case let .invalidValue(key, value, valid):
            return "unknown \(key) '\(value)'" + NameSuggestion.hint(for: value, in: valid) + "; \(key)s: "
                + valid.joined(separator: ", ")
        case let .driftSpec(message, hint):
            return message + hint
        case let .invalidFile(path, reason):
            return "config file '\(path)': \(reason)"
        }
    }
}
