import Foundation

/// Runs notebook commands as child processes: DriftLab commands with `executable` (the CLI passes its own
/// binary), shell blocks with `shell -c script`. Standard input is `/dev/null` so nothing waits for a
/// keyboard. Shell blocks see `DRIFTLAB` set to the executable's path and its folder first on `PATH`, so a
/// script can call `driftlab` and get the same binary.
public struct ProcessCommandRunner: NotebookCommandRunner, Sendable {
    /// The program DriftLab commands run with.
    public let executable: URL
    /// The shell for shell blocks, run as `shell -c script`.
    public let shell: URL

    /// Creates a runner.
    /// - Parameters:
    ///   - executable: the `driftlab` binary (or any program taking the command's arguments).
    ///   - shell: the shell for `sh exec` / `bash exec` blocks; `/bin/bash` by default.
    public init(executable: URL, shell: URL = URL(fileURLWithPath: "/bin/bash")) {
        self.executable = executable
        self.shell = shell
    }

    /// Runs `executable` with `arguments` in `directory`.
    public func runDriftLab(arguments: [String], in directory: URL) throws -> NotebookCommandResult {
        try launch(executable, arguments: arguments, in: directory,
                   environment: NotebookNesting.childEnvironment(ProcessInfo.processInfo.environment))
    }

    /// Runs `shell -c script` in `directory`.
    public func runShell(script: String, in directory: URL) throws -> NotebookCommandResult {
        var environment = NotebookNesting.childEnvironment(ProcessInfo.processInfo.environment)
        environment["DRIFTLAB"] = executable.path
        let folder = executable.deletingLastPathComponent().path
        environment["PATH"] = environment["PATH"].map { "\(folder):\($0)" } ?? folder
        return try launch(shell, arguments: ["-c", script], in: directory, environment: environment)
    }

    private func launch(_ program: URL, arguments: [String], in directory: URL,
                        environment: [String: String]) throws -> NotebookCommandResult {
        let signals = SignalForwarder.shared
        if let signal = signals.signalReceived { throw NotebookError.interrupted(file: directory.path, signal: signal) }
        // Output goes to temporary files rather than pipes: a chatty child can never block on a full pipe
        // while we wait for it, and no reader threads are needed.
        let scratch = FileManager.default.temporaryDirectory
        let outURL = scratch.appendingPathComponent("driftlab-nb-\(UUID().uuidString).out")
        let errURL = scratch.appendingPathComponent("driftlab-nb-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
            throw NotebookError.launchFailed(executable: program.path,
                                             reason: "cannot create capture files in \(scratch.path)")
        }
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        do {
            let out = try FileHandle(forWritingTo: outURL)
            let err = try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                try? err.close()
            }
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            signals.started(process.processIdentifier)
            process.waitUntilExit()
            signals.finished()
        } catch {
            throw NotebookError.launchFailed(executable: program.path, reason: "\(error.localizedDescription)")
        }
        if let signal = signals.signalReceived {
            // The capture files go with the `defer` above; the notebook is not rewritten.
            throw NotebookError.interrupted(file: directory.path, signal: signal)
        }
        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        do {
            return NotebookCommandResult(status: status,
                                         standardOutput: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                                         standardError: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        } catch {
            throw NotebookError.launchFailed(executable: program.path,
                                             reason: "cannot read captured output: \(error.localizedDescription)")
        }
    }
}
