import Foundation

/// How deep notebook runs are nested. A notebook command may itself run a notebook (even the
/// same one); each level is a new process in its own process group, so without a limit a
/// self-running notebook would fork without end. The level travels in an environment variable
/// that every command a notebook runs inherits.
public enum NotebookNesting {
    /// The environment variable carrying the level of the notebook being run (absent: 0).
    public static let variable = "DRIFTLAB_NOTEBOOK_DEPTH"
    /// Notebook levels allowed: a notebook may run a notebook, that one may not.
    public static let limit = 2

    /// The level of this process: 0 outside notebooks.
    public static var currentDepth: Int {
        ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }.map { max(0, $0) } ?? 0
    }

    /// Throws unless a notebook may run at this level.
    static func requireAllowed(file: String) throws {
        let depth = currentDepth + 1
        if depth > limit { throw NotebookError.nestedTooDeep(file: file, depth: depth, limit: limit) }
    }

    /// The environment of a command run from a notebook at this level.
    static func childEnvironment(_ base: [String: String]) -> [String: String] {
        var environment = base
        environment[variable] = String(currentDepth + 1)
        return environment
    }
}
