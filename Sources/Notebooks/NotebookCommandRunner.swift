import Foundation

/// What one command printed and how it ended.
public struct NotebookCommandResult: Sendable, Equatable {
    /// Exit status; 0 is success. A process killed by signal `s` reports `128 + s`, as shells do.
    public var status: Int32
    /// Everything written to standard output.
    public var standardOutput: String
    /// Everything written to standard error.
    public var standardError: String

    /// Creates a result.
    public init(status: Int32, standardOutput: String, standardError: String = "") {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// Runs the commands of a notebook. Injected so tests can script results and the CLI can run its own binary.
public protocol NotebookCommandRunner {
    /// Runs one DriftLab command.
    /// - Parameters:
    ///   - arguments: the words after `driftlab`, already split and unquoted.
    ///   - directory: the working directory (the notebook's folder).
    /// - Throws: only when the command cannot be started at all; a failing command returns a non-zero status.
    func runDriftLab(arguments: [String], in directory: URL) throws -> NotebookCommandResult

    /// Runs the body of a `sh exec` / `bash exec` block as one script.
    /// - Parameters:
    ///   - script: the block body, lines joined with `\n`.
    ///   - directory: the working directory (the notebook's folder).
    func runShell(script: String, in directory: URL) throws -> NotebookCommandResult
}
