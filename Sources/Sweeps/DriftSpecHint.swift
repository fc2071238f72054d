import TaskCatalog

/// "Did you mean" for a drift spec that does not parse: a misspelt drift name (`dpp`) or
/// option (`dpo:alpah=1.5`). Consulted only after `DriftSpec` has refused a spec, so a drift
/// this table does not know is never refused because of it.
public enum DriftSpecHint {
    /// The drift names of the built-in specs and the options each takes (DriftSpec.swift).
    public static let options: [(name: String, keys: [String])] = [
        ("ppo", ["eps"]), ("dpo", ["alpha", "beta"]),
        ("lpo", ["init", "seed", "xi"]), ("lpo-zero", ["init", "seed", "xi"]), ("ta-lpo", ["init", "seed", "xi"]),
    ]

    /// ` (did you mean 'X'?)` naming the drift or option meant, or the empty string.
    public static func hint(for spec: String) -> String {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first else { return "" }
        // A path (a drift file) is not a misspelt name.
        if name.contains("/") || name.hasSuffix(".h5") { return "" }
        guard let entry = options.first(where: { $0.name == name.lowercased() }) else {
            return NameSuggestion.hint(for: name, in: options.map(\.name))
        }
        guard parts.count == 2 else { return "" }
        for item in parts[1].split(separator: ",") {
            let key = String(item.split(separator: "=", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
            guard !entry.keys.contains(key) else { continue }
            let takes = "\(entry.name) takes " + entry.keys.joined(separator: ", ")
            if let closest = NameSuggestion.closest(to: key, in: entry.keys) { return " (did you mean '\(closest)'? \(takes))" }
            return " (\(takes))"
        }
        return ""
    }
}
