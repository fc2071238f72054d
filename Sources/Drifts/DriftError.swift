/// Errors about drifts: specs, networks and files.
public enum DriftError: Error, CustomStringConvertible, Equatable {
    case invalidSpec(String)
    case invalidNetwork(String)
    case invalidFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidSpec(let m): return "invalid drift spec: \(m)"
        case .invalidNetwork(let m): return "invalid drift network: \(m)"
        case .invalidFile(let path, let reason): return "'\(path)': \(reason)"
        }
    }
}
