/// Errors from loading MuJoCo models and building MuJoCo tasks. Each message names the file,
/// body or value at fault and, where MuJoCo refused something, MuJoCo's own words.
public enum MuJoCoError: Error, Equatable, CustomStringConvertible {
    /// The model file does not exist (or no model directory holds it).
    case modelFileMissing(path: String)
    /// MuJoCo refused the model file; `message` is MuJoCo's compiler error.
    case invalidModel(path: String, message: String)
    /// The model lacks something the task needs (a body, joint or site of that name, or
    /// the expected dimensions).
    case modelMismatch(path: String, reason: String)
    /// A physics state that does not fit the model it is restored into.
    case stateMismatch(String)

    public var description: String {
        switch self {
        case let .modelFileMissing(path):
            return "MuJoCo model file '\(path)' does not exist"
        case let .invalidModel(path, message):
            return "MuJoCo could not load model '\(path)': \(message)"
        case let .modelMismatch(path, reason):
            return "MuJoCo model '\(path)' does not fit its task: \(reason)"
        case let .stateMismatch(message):
            return "cannot restore MuJoCo state: \(message)"
        }
    }
}
