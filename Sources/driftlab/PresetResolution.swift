import ArgumentParser
import Sweeps
import Training

/// The preset named on the command line, or the environment's default (with a "did you
/// mean" for a misspelt name).
func resolvePreset(_ name: String?, environment: String) throws -> TrainingPreset {
    try RunSettings.preset(named: name, environment: environment)
}

/// `--set key=value` items as overrides, keys as `TrainingConfig` spells them (`learning-rate`
/// becomes `learningRate`; an unknown key gets a "did you mean").
func parseOverrides(_ items: [String]) throws -> [(key: String, value: String)] {
    try items.map { item in
        let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2 else { throw ValidationError("--set '\(item)' must be key=value") }
        return (try RunSettings.configKey(kv[0]), kv[1])
    }
}
