/// Errors of the training layer.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case nonFinite(String)
    case invalidRunFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let m): return "invalid training configuration: \(m)"
        case .nonFinite(let m): return "training stopped: \(m)"
        case .invalidRunFile(let path, let reason): return "'\(path)': \(reason)"
        }
    }
}
