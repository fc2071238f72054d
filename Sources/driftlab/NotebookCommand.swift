import ArgumentParser
import Foundation
import Notebooks

/// `driftlab notebook ...`: markdown notebooks instead of Jupyter.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run markdown notebooks: ```driftlab blocks execute, their output is written below them.",
        discussion: """
        A fenced block whose info string is `driftlab` holds DriftLab commands, one per line, without the
        leading `driftlab`. Running writes each block's output into a marked region right after it (replaced on
        every run) and links the PNG figures it produced. `sh exec` blocks run only with --allow-shell.
        """,
        subcommands: [NotebookRun.self, NotebookCheck.self, NotebookRender.self])

    /// Runs `body`; an interruption (Ctrl-C) is reported in one line and exits with 128 + the
    /// signal, as shells do.
    static func exitingOnInterrupt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NotebookError {
            guard case let .interrupted(_, signal) = error else { throw error }
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(128 + signal)
        }
    }

    /// This very binary, so notebooks run the DriftLab that runs them.
    static func runner() -> ProcessCommandRunner {
        let selfPath = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return ProcessCommandRunner(executable: URL(fileURLWithPath: selfPath))
    }
}

struct NotebookRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a notebook and write its outputs in place.")

    @Argument(help: "Markdown notebook.") var file: String
    @Flag(help: "Also run `sh exec` / `bash exec` blocks.") var allowShell = false

    func run() throws {
        let execution = try NotebookCommand.exitingOnInterrupt {
            try NotebookRunner(runner: NotebookCommand.runner(), allowShell: allowShell).run(fileAt: URL(fileURLWithPath: file))
        }
        print("\(file): ran \(execution.commandsRun) commands in \(execution.blocks.count) blocks")
        if let note = SkippedBlock.summary(execution.skipped, file: file) { print(note) }
    }
}

struct NotebookCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Re-run a notebook's blocks and exit 1 if any stored output is stale or missing.")

    @Argument(help: "Markdown notebook.") var file: String
    @Flag(help: "Also run `sh exec` / `bash exec` blocks.") var allowShell = false

    func run() throws {
        let report = try NotebookCommand.exitingOnInterrupt {
            try NotebookRunner(runner: NotebookCommand.runner(), allowShell: allowShell).check(fileAt: URL(fileURLWithPath: file))
        }
        print(report)
        if !report.isFresh { throw ExitCode(1) }
    }
}

struct NotebookRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write a notebook as one standalone HTML page, its figures embedded (run it first to refresh them).")

    @Argument(help: "Markdown notebook.", completion: .file(extensions: ["md"])) var file: String
    @Option(help: "Output HTML file.") var html: String

    func run() throws {
        let page = try NotebookHTML.render(fileAt: URL(fileURLWithPath: file))
        try writeAtomically(Data(page.html.utf8), to: html)
        print("wrote \(html): \(page.embedded.count) figures embedded")
        for source in page.missing { FileHandle.standardError.write(Data("note: \(file) links \(source), which does not exist\n".utf8)) }
    }
}
