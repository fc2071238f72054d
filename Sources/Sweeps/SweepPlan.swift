import Drifts
import Environments
import Foundation
import TaskCatalog
import Training

/// A sweep file, parsed and checked: every environment x drift x seed, trained with one
/// preset and settings, into `<out-dir>/<env>-<label>/<seed>.h5`.
///
/// The file is TOML (docs/FILE-FORMATS.md, "Sweep files"):
///
///     out-dir = "data/runs/mujoco"     # a run lands in <out-dir>/<env>-<label>/<seed>.h5
///     envs = ["ant", "hopper"]
///     seeds = "0-9"                    # or "0,3,5", a number, or an array of numbers
///     [drifts]                         # label = drift spec (as `train --drift` takes it)
///     ppo = "ppo"
///     lpo = "data/lpo.h5"
///     [settings]                       # optional
///     preset = "minatar"               # default: each environment's own preset
///     steps = 1e6                      # totalSteps
///     convention = "gymnax"            # MinAtar convention (default gymnax)
///     evaluations = 20                 # evaluate ~20 times per run: evalInterval = numUpdates / 20
///     learningRate = 0.001             # any TrainingConfig field, as `--set` takes it
///
/// Relative paths (`out-dir`, drift files) are relative to the current directory, as with
/// `driftlab train`, not to the sweep file: run sweeps from the project root. A drift file's
/// path is stored in each run's description as written, so `data/lpo.h5` here names the same
/// runs as `train --drift data/lpo.h5` did.
public struct SweepPlan: Sendable, Equatable {
    /// One `[drifts]` entry.
    public struct DriftEntry: Sendable, Equatable {
        /// The folder suffix (`<env>-<label>`).
        public var label: String
        /// The drift spec or drift file path.
        public var spec: String
    }

    /// One `key = value` training override, in `--set` form.
    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
        public init(key: String, value: String) { self.key = key; self.value = value }
    }

    /// The sweep file's path (for messages).
    public var path: String
    public var outDir: String
    public var envs: [String]
    public var seeds: [UInt64]
    public var drifts: [DriftEntry]
    /// The preset for every environment; nil: each environment's default.
    public var preset: TrainingPreset?
    public var convention: MinAtarConvention
    /// Training overrides from `[settings]` (`steps` becomes `totalSteps`).
    public var settings: [Setting]
    /// Evaluations per run: each run's `evalInterval` becomes `max(1, numUpdates / evaluations)`
    /// (environments differ in their number of updates); nil leaves `evalInterval` as set.
    public var evaluations: Int? = nil

    /// The runs of the sweep, seed-major (seed 0 of every env x drift first, so a sweep cut
    /// short already has a run in every panel), with `extra` overrides applied after the
    /// file's (the command line's `--set` and `--steps`). `outDir` replaces the file's.
    public func runs(extra: [Setting] = [], outDir: String? = nil) throws -> [PlannedRun] {
        let folder = outDir ?? self.outDir
        var configs: [String: (preset: TrainingPreset, config: TrainingConfig)] = [:]
        for env in envs {
            let preset = self.preset ?? TrainingPreset.defaultPreset(forEnvironment: env)
            do {
                // Always through `applying`, as `driftlab train` does, so the configuration is
                // bit-for-bit the one `train --seeds` stored for the same settings.
                var config = try preset.config.applying((settings + extra).map { ($0.key, $0.value) })
                // An evalInterval on the command line wins over the file's evaluations.
                if let evaluations, !extra.contains(where: { $0.key == "evalInterval" }) {
                    config.evalInterval = max(1, config.numUpdates / evaluations)
                }
                configs[env] = (preset, config)
            } catch {
                throw SweepError.invalidFile(path: path, key: "settings", reason: "\(error) (for \(env), preset \(preset.rawValue))")
            }
        }
        var runs: [PlannedRun] = []
        for seed in seeds {
            for env in envs {
                for drift in drifts {
                    let (preset, config) = configs[env]!
                    let description = RunDescription(env: env, drift: drift.spec, preset: preset.rawValue, seed: seed,
                                                     convention: convention.rawValue, config: config)
                    let file = ((folder as NSString).appendingPathComponent("\(env)-\(drift.label)") as NSString)
                        .appendingPathComponent("\(seed).h5")
                    runs.append(PlannedRun(env: env, label: drift.label, description: description, path: file))
                }
            }
        }
        return runs
    }

    /// The `(env, label)` groups in listing order (for status tables).
    public var groups: [(env: String, label: String)] {
        envs.flatMap { env in drifts.map { (env, $0.label) } }
    }
}
