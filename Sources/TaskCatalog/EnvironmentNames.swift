import Environments

/// The spellings of a task name that DriftLab accepts: its own (`space-invaders`), in any case,
/// and those of the libraries a user comes from: Gymnasium's (`CartPole-v1`, `HalfCheetah-v5`,
/// `MountainCarContinuous-v0`) and gymnax's or MinAtar's (`Breakout-MinAtar`,
/// `MinAtar/SpaceInvaders-v1`). Run files always store the catalog's own name.
public enum EnvironmentNames {
    /// The catalog name that `name` spells, or nil when it spells none.
    public static func canonical(_ name: String, in names: [String] = EnvironmentCatalog.names) -> String? {
        if names.contains(name) { return name }
        let key = folded(name)
        return names.first { folded($0) == key }
    }

    /// The catalog name that `name` spells; otherwise throws an error that names the closest
    /// catalog name, if one is near, and lists them all.
    public static func resolve(_ name: String) throws -> String {
        let names = EnvironmentCatalog.names
        if let found = canonical(name, in: names) { return found }
        throw UnknownEnvironmentName(name: name, suggestion: NameSuggestion.closest(to: strippedOfLibraryMarks(name), in: names),
                                     valid: names)
    }

    /// `name` without a version suffix (`-v1`), a MinAtar prefix or suffix, case, `-` or `_`.
    static func folded(_ name: String) -> String {
        String(NameSuggestion.folded(strippedOfLibraryMarks(name)))
    }

    static func strippedOfLibraryMarks(_ name: String) -> String {
        var text = name.lowercased()
        for prefix in ["minatar/", "minatar-"] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        if let dash = text.range(of: "-v", options: .backwards),
           !text[dash.upperBound...].isEmpty, text[dash.upperBound...].allSatisfy(\.isNumber) {
            text = String(text[..<dash.lowerBound])
        }
        for suffix in ["-minatar", "_minatar"] where text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}

/// A task name that no spelling of a catalog name matches.
public struct UnknownEnvironmentName: Error, CustomStringConvertible, Equatable {
    /// What was typed.
    public let name: String
    /// The nearest catalog name, if one is near enough to be a typo.
    public let suggestion: String?
    /// Every catalog name.
    public let valid: [String]

    public var description: String {
        let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown environment '\(name)'\(hint); environments: " + valid.joined(separator: ", ")
    }
}
