import Foundation

/// Runs markdown notebooks (`driftlab notebook run`) and checks that their stored outputs are current
/// (`driftlab notebook check`).
///
/// Executable blocks run in file order, each command through the injected ``NotebookCommandRunner`` with
/// the notebook's folder as working directory. Each block's output goes into the output region right after
/// it (see ``OutputRegion``), replacing the old one, so running twice gives the same file. The first
/// failing command stops the run: outputs produced so far (the failing block's included) are written, then
/// ``NotebookError/commandFailed(file:blockLine:commandLine:command:status:)`` is thrown.
public struct NotebookRunner {
    /// Runs the commands.
    public let runner: any NotebookCommandRunner
    /// Whether `sh exec` / `bash exec` blocks may run (`--allow-shell`). When false, a notebook that has any
    /// is refused before anything runs.
    public let allowShell: Bool

    /// Creates a notebook runner.
    public init(runner: any NotebookCommandRunner, allowShell: Bool = false) {
        self.runner = runner
        self.allowShell = allowShell
    }

    /// What running one executable block produced.
    public struct BlockRun: Sendable, Equatable {
        /// 1-based line of the block's opening fence.
        public let line: Int
        /// The freshly rendered output region.
        public let output: OutputRegion
        /// The failure that stopped the run in this block, if any.
        public let failure: NotebookError?
    }

    /// The outcome of running a notebook in memory.
    public struct Execution: Sendable, Equatable {
        /// The notebook with fresh output regions for every block that ran.
        public let notebook: MarkdownNotebook
        /// One entry per block that ran, in order; the last carries the failure if the run stopped early.
        public let blocks: [BlockRun]
        /// Number of commands run (driftlab commands and shell scripts).
        public let commandsRun: Int
        /// The failure that stopped the run, if any.
        public var failure: NotebookError? { blocks.last?.failure }
        /// Code blocks in languages that do not run.
        public var skipped: [SkippedBlock] { notebook.skippedBlocks }
    }

    // MARK: Files

    /// Runs the notebook at `url` and writes the outputs into it (atomically, and only if they changed).
    /// - Returns: the execution (blocks run, commands run).
    /// - Throws: a parse or validation ``NotebookError`` before anything runs; the failing command's
    ///   ``NotebookError/commandFailed(file:blockLine:commandLine:command:status:)`` after writing the outputs
    ///   produced so far; write errors.
    @discardableResult
    public func run(fileAt url: URL) throws -> Execution {
        try NotebookNesting.requireAllowed(file: url.relativePath)
        let (notebook, original) = try Self.load(url)
        let execution = try execute(notebook, in: Self.folder(of: url))
        let text = execution.notebook.text
        if text != original {
            try AtomicFile.write(Data(text.utf8), to: url, name: notebook.file)
        }
        if let failure = execution.failure { throw failure }
        return execution
    }

    /// Re-runs every executable block of the notebook at `url` without touching the file, and compares
    /// each block's stored output region with the fresh one (lines compared with trailing whitespace and
    /// line terminators ignored). Commands still run for real in the notebook's folder, so files they write
    /// (CSVs, figures) are rewritten.
    /// - Throws: parse and validation errors (for example shell blocks without `allowShell`).
    public func check(fileAt url: URL) throws -> NotebookCheckReport {
        try NotebookNesting.requireAllowed(file: url.relativePath)
        let (notebook, _) = try Self.load(url)
        return try check(notebook, in: Self.folder(of: url))
    }

    // MARK: In memory

    /// Runs every executable block of `notebook` with `directory` as working directory.
    /// - Throws: a parse or validation ``NotebookError`` before anything runs, or a runner's launch error.
    ///   A failing command does not throw here: it ends the execution and is reported in ``Execution/failure``.
    public func execute(_ notebook: MarkdownNotebook, in directory: URL) throws -> Execution {
        let plans = try plan(notebook)
        var result = notebook
        var blocks: [BlockRun] = []
        var commandsRun = 0
        var index = 0
        var ordinal = 0
        while index < result.parts.count {
            guard case let .code(block) = result.parts[index], block.isExecutable else {
                index += 1
                continue
            }
            let plan = plans[ordinal]
            ordinal += 1
            if case let .driftlab(commands) = plan, commands.isEmpty {
                index += 1
                continue
            }
            var results: [NotebookCommandResult] = []
            var hints: [String] = []
            var failure: NotebookError? = nil
            switch plan {
            case let .driftlab(commands):
                for command in commands {
                    let arguments = GlobExpansion.arguments(of: command, in: directory)
                    let outcome = try naming(notebook.file) { try runner.runDriftLab(arguments: arguments, in: directory) }
                    commandsRun += 1
                    results.append(outcome)
                    hints += FigureFinder.candidates(arguments: arguments)
                    if outcome.status != 0 {
                        failure = .commandFailed(file: notebook.file, blockLine: block.line, commandLine: command.line,
                                                 command: command.display, status: outcome.status)
                        break
                    }
                }
            case let .shell(script):
                let outcome = try naming(notebook.file) { try runner.runShell(script: script, in: directory) }
                commandsRun += 1
                results.append(outcome)
                hints += FigureFinder.candidates(text: script)
                if outcome.status != 0 {
                    failure = .commandFailed(file: notebook.file, blockLine: block.line, commandLine: block.line + 1,
                                             command: Self.summary(ofScript: script), status: outcome.status)
                }
            }
            for outcome in results {
                hints += FigureFinder.candidates(text: outcome.standardOutput)
                hints += FigureFinder.candidates(text: outcome.standardError)
            }
            let region = OutputRenderer.region(results: results, figures: FigureFinder.existing(hints, in: directory),
                                               lineEnding: result.lineEnding)
            index = result.setOutput(region, forBlockAt: index) + 1
            blocks.append(BlockRun(line: block.line, output: region, failure: failure))
            if failure != nil { break }
        }
        return Execution(notebook: result, blocks: blocks, commandsRun: commandsRun)
    }

    /// Runs `notebook` in memory and compares every executable block's stored output with the fresh one.
    public func check(_ notebook: MarkdownNotebook, in directory: URL) throws -> NotebookCheckReport {
        let execution = try execute(notebook, in: directory)
        var statuses: [NotebookCheckReport.Block] = []
        var ran = execution.blocks[...]
        var stopped = false
        for index in notebook.executableBlockIndices {
            guard case let .code(block) = notebook.parts[index] else { continue }
            guard !stopped, let fresh = ran.first, fresh.line == block.line else {
                // Blocks without commands never run and need no output; blocks after a failure were not run.
                let hasCommands = try block.kind == .shell || !block.commands(file: notebook.file).isEmpty
                if hasCommands { statuses.append(.init(line: block.line, status: .notRun)) }
                continue
            }
            ran = ran.dropFirst()
            if let failure = fresh.failure {
                statuses.append(.init(line: block.line, status: .failed(failure)))
                stopped = true
                continue
            }
            guard let stored = notebook.outputIndex(forBlockAt: index).flatMap({ k -> OutputRegion? in
                if case let .output(region) = notebook.parts[k] { return region } else { return nil }
            }) else {
                statuses.append(.init(line: block.line, status: .missing))
                continue
            }
            statuses.append(.init(line: block.line, status: Self.compare(stored: stored, fresh: fresh.output)))
        }
        return NotebookCheckReport(file: notebook.file, blocks: statuses, skipped: notebook.skippedBlocks)
    }

    // MARK: Helpers

    /// Runs `body`, giving an interruption the notebook's name (the runner knows only the folder).
    private func naming<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch NotebookError.interrupted(_, let signal) {
            throw NotebookError.interrupted(file: file, signal: signal)
        }
    }

    /// Longest command line (arguments and their separators) a notebook may run.
    public static let maximumCommandBytes = 128 * 1024

    private enum Plan {
        case driftlab([NotebookCommand])
        case shell(String)
    }

    /// Splits every driftlab block and refuses shell blocks unless allowed, before anything runs.
    private func plan(_ notebook: MarkdownNotebook) throws -> [Plan] {
        var plans: [Plan] = []
        var refusedShell: [Int] = []
        for index in notebook.executableBlockIndices {
            guard case let .code(block) = notebook.parts[index] else { continue }
            switch block.kind {
            case .driftlab:
                let commands = try block.commands(file: notebook.file)
                for command in commands {
                    // The kernel refuses longer argument lists (E2BIG) with a message naming nothing.
                    let size = command.arguments.reduce(0) { $0 + $1.utf8.count + 1 }
                    if size > Self.maximumCommandBytes {
                        throw NotebookError.malformedCommand(file: notebook.file, line: command.line,
                                                             reason: "the command is \(size) bytes long; the limit is \(Self.maximumCommandBytes)")
                    }
                }
                plans.append(.driftlab(commands))
            case .shell:
                if !allowShell { refusedShell.append(block.line) }
                plans.append(.shell(block.body))
            case .passive: continue
            }
        }
        if !refusedShell.isEmpty { throw NotebookError.shellNotAllowed(file: notebook.file, lines: refusedShell) }
        return plans
    }

    private static func compare(stored: OutputRegion, fresh: OutputRegion) -> NotebookCheckReport.Status {
        let old = stored.comparableLines, new = fresh.comparableLines
        guard old != new else { return .fresh }
        let i = (0..<min(old.count, new.count)).first(where: { old[$0] != new[$0] }) ?? min(old.count, new.count)
        return .stale(regionLine: i + 1, stored: i < old.count ? old[i] : nil, fresh: i < new.count ? new[i] : nil)
    }

    private static func summary(ofScript script: String) -> String {
        let lines = script.split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard let first = lines.first else { return "(empty shell block)" }
        return lines.count > 1 ? "\(first) ..." : first
    }

    private static func folder(of url: URL) -> URL {
        url.absoluteURL.deletingLastPathComponent()
    }

    private static func load(_ url: URL) throws -> (MarkdownNotebook, String) {
        let name = url.relativePath
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NotebookError.unreadable(file: name, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NotebookError.unreadable(file: name, reason: "not UTF-8 text")
        }
        return (try MarkdownNotebook(parsing: text, file: name), text)
    }
}
