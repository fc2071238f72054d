/// Everything that can go wrong reading, running or checking a markdown notebook. Every message names
/// the notebook file and, where there is one, the 1-based line the problem starts on.
public enum NotebookError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read or is not UTF-8 text.
    case unreadable(file: String, reason: String)
    /// A ```` ```driftlab ```` or ```` ```sh exec ```` fence opened at `line` is never closed.
    case unclosedFence(file: String, line: Int)
    /// A `<!-- driftlab-output -->` marker at `line` has no matching `<!-- /driftlab-output -->`.
    case unclosedOutput(file: String, line: Int)
    /// A command line in a driftlab block cannot be split into arguments (for example an unterminated quote).
    case malformedCommand(file: String, line: Int, reason: String)
    /// Shell blocks were found but running them was not allowed (`--allow-shell`); `lines` are their fences.
    case shellNotAllowed(file: String, lines: [Int])
    /// A command exited non-zero. `blockLine` is the block's opening fence, `commandLine` the command's first line.
    case commandFailed(file: String, blockLine: Int, commandLine: Int, command: String, status: Int32)
    /// The command runner could not start a process at all.
    case launchFailed(executable: String, reason: String)
    /// The notebook could not be written back.
    case writeFailed(file: String, reason: String)

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read notebook: \(reason)"
        case let .unclosedFence(file, line):
            return "\(file):\(line): code fence is never closed"
        case let .unclosedOutput(file, line):
            return "\(file):\(line): '\(OutputRegion.startMarker)' has no matching '\(OutputRegion.endMarker)'"
        case let .malformedCommand(file, line, reason):
            return "\(file):\(line): malformed command: \(reason)"
        case let .shellNotAllowed(file, lines):
            let where_ = lines.map { "\(file):\($0)" }.joined(separator: ", ")
            return "shell blocks are not run without --allow-shell (found at \(where_)); nothing was run"
        case let .commandFailed(file, blockLine, commandLine, command, status):
            return "\(file):\(commandLine): command `\(command)` (block at line \(blockLine)) failed with exit status \(status)"
        case let .launchFailed(executable, reason):
            return "cannot launch \(executable): \(reason)"
        case let .writeFailed(file, reason):
            return "\(file): cannot write notebook: \(reason)"
        }
    }
}
