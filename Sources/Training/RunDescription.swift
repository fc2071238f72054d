import Drifts
import Environments
import Foundation

/// What a run is: task, drift, preset, seed and the resolved configuration. Stored in the
/// run file; enough to rebuild the trainer on resume.
public struct RunDescription: Sendable, Codable, Equatable {
    /// Environment name (`breakout`, `cartpole`, ...).
    public var env: String
    /// The drift spec as given (`dpo`, `lpo:init=random,seed=3`, a file path, ...).
    public var drift: String
    /// Preset the configuration started from.
    public var preset: String
    public var seed: UInt64
    /// MinAtar convention (`original`/`gymnax`); ignored by other tasks.
    public var convention: String
    public var config: TrainingConfig
    /// Save every k-th rollout under `/rollouts` (0 = none).
    public var saveRolloutsEvery: Int

    enum CodingKeys: String, CodingKey { case env, drift, preset, seed, convention, config, saveRolloutsEvery }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(env: try c.decode(String.self, forKey: .env), drift: try c.decode(String.self, forKey: .drift),
                  preset: try c.decode(String.self, forKey: .preset), seed: try c.decode(UInt64.self, forKey: .seed),
                  convention: try c.decode(String.self, forKey: .convention),
                  config: try c.decode(TrainingConfig.self, forKey: .config),
                  // Absent in files written before rollouts could be saved.
                  saveRolloutsEvery: try c.decodeIfPresent(Int.self, forKey: .saveRolloutsEvery) ?? 0)
    }

    public init(env: String, drift: String, preset: String, seed: UInt64, convention: String, config: TrainingConfig,
                saveRolloutsEvery: Int = 0) {
        self.saveRolloutsEvery = saveRolloutsEvery
        self.env = env
        self.drift = drift
        self.preset = preset
        self.seed = seed
        self.convention = convention
        self.config = config
    }
}

extension RunDescription {
    /// `convention` as the environments take it; the error names the field.
    public func minAtarConvention() throws -> MinAtarConvention {
        guard let convention = MinAtarConvention(rawValue: convention) else {
            throw TrainingError.invalidConfig("convention: unknown '\(convention)' (original or gymnax)")
        }
        return convention
    }

    /// `preset` as a `TrainingPreset`; the error names the field and the valid presets.
    public func trainingPreset() throws -> TrainingPreset {
        guard let preset = TrainingPreset(rawValue: preset) else {
            throw TrainingError.invalidConfig("preset: unknown '\(preset)'; presets: "
                                              + TrainingPreset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return preset
    }

    /// `drift` parsed as a drift spec.
    public func driftSpec() throws -> DriftSpec { try DriftSpec(parsing: drift) }
}
