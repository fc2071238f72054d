/// Errors from building, configuring or restoring environments. Each message names the
/// offending option, name or value.
public enum EnvironmentError: Error, Equatable, CustomStringConvertible {
    /// A name not in `EnvironmentCatalog`; `valid` lists the known names.
    case unknownEnvironment(name: String, valid: [String])
    /// An option outside its allowed range.
    case invalidOption(option: String, value: String, reason: String)
    /// A snapshot that does not fit the vector environment it is restored into.
    case snapshotMismatch(String)

    public var description: String {
        switch self {
        case let .unknownEnvironment(name, valid):
            return "unknown environment '\(name)'; valid names: \(valid.joined(separator: ", "))"
        case let .invalidOption(option, value, reason):
            return "invalid \(option) \(value): \(reason)"
        case let .snapshotMismatch(message):
            return "cannot restore environment snapshot: \(message)"
        }
    }
}
