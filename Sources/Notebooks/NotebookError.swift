/// Everything that can go wrong reading, running or checking a markdown notebook. Every message names
/// the notebook file and, where there is one, the 1-based line the problem starts on.
public enum NotebookError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read or is not UTF-8 text.
    case unreadable(file: String, reason: String)
    /// A ```` ```driftlab ```` or ```` ```sh exec ```` fence opened at `line` is never closed.
    case unclosedFence(file: String, line: Int)
    /// A `<!-- driftlab-output -->` marker at `line` has no matching `<!-- /driftlab-output -->`.
    case unclosedOutput(file: String, line: Int)
    /// A `<!-- /driftlab-output -->` marker at `line` closes no output region.
    case unopenedOutput(file: String, line: Int)
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
    /// A notebook command would run notebooks nested deeper than `limit` (a notebook that
    /// runs itself would otherwise start processes without end).
    case nestedTooDeep(file: String, depth: Int, limit: Int)
    /// The run was stopped by signal `signal` (Ctrl-C is 2); the running command was stopped too.
    case interrupted(file: String, signal: Int32)

    /// A one-line message for the user.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read notebook: \(reason)"
        case let .unclosedFence(file, line):
            return "\(file):\(line): code fence is never closed"
        case let .unclosedOutput(file, line):
            return "\(file):\(line): '\(OutputRegion.startMarker)' has no matching '\(OutputRegion.endMarker)'"
        case let .unopenedOutput(file, line):
            return "\(file):\(line): '\(OutputRegion.endMarker)' closes no '\(OutputRegion.startMarker)'"
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
        case let .nestedTooDeep(file, depth, limit):
            return "\(file): not run: it would be notebook level \(depth) of at most \(limit) "
                + "(a notebook command runs notebooks; \(NotebookNesting.variable) counts the levels)"
        case let .interrupted(file, signal):
            return "\(file): interrupted by signal \(signal); the running command was stopped and the notebook left unchanged"
        }
    }
}
