import ArgumentParser
import Training

/// The preset named on the command line, or the environment's default.
func resolvePreset(_ name: String?, environment: String) throws -> TrainingPreset {
    guard let name else { return TrainingPreset.defaultPreset(forEnvironment: environment) }
    guard let preset = TrainingPreset(rawValue: name) else {
        throw ValidationError("unknown preset '\(name)'; presets: " + TrainingPreset.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return preset
}

/// `--set key=value` items as override pairs.
func parseOverrides(_ items: [String]) throws -> [(key: String, value: String)] {
    try items.map { item in
        let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2 else { throw ValidationError("--set '\(item)' must be key=value") }
        return (kv[0], kv[1])
    }
}
