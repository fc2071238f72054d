import Foundation
import Notebooks
import Testing

@Suite("Notebook running and checking")
struct NotebookRunnerTests {
    static let twoBlocks = """
    # Demo

    ```driftlab
    drift map dpo --csv out.csv
    # comment
    drift list
    ```

    Between.

    ```python
    not run
    ```

    ```driftlab
    env list
    ```
    End.

    """

    @Test("outputs are inserted right after each executable block, in the documented format")
    func insertion() throws {
        let url = try writeNotebook(Self.twoBlocks)
        let fake = FakeRunner()
        let execution = try NotebookRunner(runner: fake).run(fileAt: url)
        #expect(fake.calls == ["drift map dpo --csv out.csv", "drift list", "env list"])
        #expect(execution.commandsRun == 3)
        #expect(execution.blocks.map(\.line) == [3, 15])
        let expected = """
        # Demo

        ```driftlab
        drift map dpo --csv out.csv
        # comment
        drift list
        ```

        <!-- driftlab-output -->
        ```text
        drift map dpo --csv out.csv
        drift list
        ```
        <!-- /driftlab-output -->

        Between.

        ```python
        not run
        ```

        ```driftlab
        env list
        ```

        <!-- driftlab-output -->
        ```text
        env list
        ```
        <!-- /driftlab-output -->

        End.

        """
        #expect(try readText(url) == expected)
    }

    @Test("running twice gives identical bytes")
    func idempotent() throws {
        let url = try writeNotebook(Self.twoBlocks)
        let fake = FakeRunner()
        try NotebookRunner(runner: fake).run(fileAt: url)
        let first = try Data(contentsOf: url)
        try NotebookRunner(runner: fake).run(fileAt: url)
        #expect(try Data(contentsOf: url) == first)
        #expect(fake.calls.count == 6)
        #expect(occurrences(of: OutputRegion.startMarker, in: try readText(url)) == 2)
        // The atomic write leaves nothing behind: only the notebook is in its folder.
        let folder = url.deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["demo.md"])
    }

    @Test("a stale output region is replaced, not duplicated, and surrounding text is kept")
    func replacesStale() throws {
        let text = """
        ```driftlab
        drift list
        ```
        <!-- driftlab-output -->
        ```text
        old output
        more old output
        ```
        ![](gone.png)
        <!-- /driftlab-output -->
        after

        """
        let url = try writeNotebook(text)
        try NotebookRunner(runner: FakeRunner()).run(fileAt: url)
        let expected = """
        ```driftlab
        drift list
        ```
        <!-- driftlab-output -->
        ```text
        drift list
        ```
        <!-- /driftlab-output -->
        after

        """
        #expect(try readText(url) == expected)
    }

    @Test("check passes on fresh outputs, flags stale and missing ones, and never touches the file")
    func check() throws {
        let url = try writeNotebook(Self.twoBlocks)
        var version = "v1"
        let fake = FakeRunner(respond: { arguments, _ in
            NotebookCommandResult(status: 0, standardOutput: arguments.joined(separator: " ") + " " + version + "\n")
        })
        let notebookRunner = NotebookRunner(runner: fake)

        let missing = try notebookRunner.check(fileAt: url)
        #expect(missing.blocks.map(\.status) == [.missing, .missing])
        #expect(!missing.isFresh)
        #expect(try readText(url) == Self.twoBlocks)

        try notebookRunner.run(fileAt: url)
        let fresh = try notebookRunner.check(fileAt: url)
        #expect(fresh.isFresh)
        #expect(fresh.blocks.map(\.line) == [3, 22])

        // Trailing whitespace in the stored file is not a difference.
        let written = try readText(url)
        try Data(written.replacingOccurrences(of: "drift list v1\n", with: "drift list v1   \n").utf8).write(to: url)
        #expect(try notebookRunner.check(fileAt: url).isFresh)

        version = "v2"
        let before = try Data(contentsOf: url)
        let stale = try notebookRunner.check(fileAt: url)
        #expect(!stale.isFresh)
        #expect(stale.staleLines == [3, 22])
        #expect(stale.blocks[0].status == .stale(regionLine: 3, stored: "drift map dpo --csv out.csv v1",
                                                  fresh: "drift map dpo --csv out.csv v2"))
        #expect(stale.description.contains("demo.md:3: output is stale"))
        #expect(try Data(contentsOf: url) == before)
    }

    @Test("a failing command stops the run with file, line and command, keeping earlier outputs")
    func failureStops() throws {
        let text = """
        ```driftlab
        drift list
        ```

        ```driftlab
        env list
        train --env nowhere
        env show cartpole
        ```

        ```driftlab
        drift map dpo
        ```

        """
        let url = try writeNotebook(text, name: "fail.md")
        let fake = FakeRunner(respond: { arguments, _ in
            arguments.contains("nowhere")
                ? NotebookCommandResult(status: 3, standardOutput: "partial\n", standardError: "Error: unknown environment 'nowhere'\n")
                : NotebookCommandResult(status: 0, standardOutput: arguments.joined(separator: " ") + "\n")
        })
        let expectedError = NotebookError.commandFailed(file: url.relativePath, blockLine: 5, commandLine: 7,
                                                        command: "driftlab train --env nowhere", status: 3)
        #expect(throws: expectedError) { try NotebookRunner(runner: fake).run(fileAt: url) }
        #expect(expectedError.description.contains("fail.md:7: command `driftlab train --env nowhere`"))
        #expect(fake.calls == ["drift list", "env list", "train --env nowhere"])
        let written = try readText(url)
        #expect(written.contains("```text\ndrift list\n```"))
        #expect(written.contains("```text\nenv list\npartial\nError: unknown environment 'nowhere'\nexit status 3\n```"))
        #expect(occurrences(of: OutputRegion.startMarker, in: written) == 2)
        #expect(written.hasSuffix("```driftlab\ndrift map dpo\n```\n"))

        // check reports the failure and the block it could not reach.
        let report = try NotebookRunner(runner: fake).check(fileAt: url)
        // (The file grew by the first block's output, so the failing block now starts at line 11.)
        let shifted = NotebookError.commandFailed(file: url.relativePath, blockLine: 11, commandLine: 13,
                                                  command: "driftlab train --env nowhere", status: 3)
        #expect(report.blocks.map(\.status) == [.fresh, .failed(shifted), .notRun])
        #expect(!report.isFresh)
    }

    @Test("shell blocks are refused before anything runs unless allowed, and run when allowed")
    func shellBlocks() throws {
        let text = """
        ```driftlab
        drift list
        ```

        ```bash
        echo documentation, never run
        ```

        ```sh exec
        echo hello
        ```

        """
        let url = try writeNotebook(text)
        let fake = FakeRunner()
        #expect(throws: NotebookError.shellNotAllowed(file: url.relativePath, lines: [9])) {
            try NotebookRunner(runner: fake).run(fileAt: url)
        }
        #expect(throws: NotebookError.shellNotAllowed(file: url.relativePath, lines: [9])) {
            try NotebookRunner(runner: fake).check(fileAt: url)
        }
        #expect(fake.calls.isEmpty)
        #expect(try readText(url) == text)

        try NotebookRunner(runner: fake, allowShell: true).run(fileAt: url)
        #expect(fake.calls == ["drift list", "sh: echo hello\n"])
        let written = try readText(url)
        #expect(written.contains("```sh exec\necho hello\n```\n\n<!-- driftlab-output -->\n```text\nran: echo hello\n```\n<!-- /driftlab-output -->\n"))
        #expect(occurrences(of: OutputRegion.startMarker, in: written) == 2)
    }

    @Test("PNG files named in arguments or output that exist get image links relative to the notebook")
    func figures() throws {
        let text = """
        ```driftlab
        drift plot dpo --out figs/a.png --other=figs/c.png --missing figs/none.png
        ```

        """
        let url = try writeNotebook(text)
        let folder = url.deletingLastPathComponent()
        let fake = FakeRunner(respond: { arguments, directory in
            let figs = directory.appendingPathComponent("figs")
            try? FileManager.default.createDirectory(at: figs, withIntermediateDirectories: true)
            for name in ["a.png", "b plot.png", "c.png"] {
                _ = FileManager.default.createFile(atPath: figs.appendingPathComponent(name).path, contents: Data([0x89]))
            }
            return NotebookCommandResult(status: 0, standardOutput: "wrote 'figs/b plot.png' and figs/a.png.\n")
        })
        try NotebookRunner(runner: fake).run(fileAt: url)
        let written = try readText(url)
        let expected = """
        ```text
        wrote 'figs/b plot.png' and figs/a.png.
        ```
        ![](figs/a.png)
        ![](figs/c.png)
        ![](<figs/b plot.png>)
        <!-- /driftlab-output -->
        """
        #expect(written.contains(expected))
        #expect(!written.contains("none.png)"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("figs/a.png").path))
    }

    @Test("CRLF notebooks get CRLF outputs, and a file without final newline is handled; both idempotent")
    func lineEndings() throws {
        let crlf = "# T\r\n\r\n```driftlab\r\ndrift list\r\n```\r\nEnd\r\n"
        let url = try writeNotebook(crlf)
        try NotebookRunner(runner: FakeRunner()).run(fileAt: url)
        let written = try readText(url)
        #expect(written == "# T\r\n\r\n```driftlab\r\ndrift list\r\n```\r\n\r\n<!-- driftlab-output -->\r\n```text\r\n"
            + "drift list\r\n```\r\n<!-- /driftlab-output -->\r\n\r\nEnd\r\n")
        try NotebookRunner(runner: FakeRunner()).run(fileAt: url)
        #expect(try readText(url) == written)
        #expect(try NotebookRunner(runner: FakeRunner()).check(fileAt: url).isFresh)

        let bare = "```driftlab\ndrift list\n```"
        let bareURL = try writeNotebook(bare)
        try NotebookRunner(runner: FakeRunner()).run(fileAt: bareURL)
        let bareWritten = try readText(bareURL)
        #expect(bareWritten == "```driftlab\ndrift list\n```\n\n<!-- driftlab-output -->\n```text\ndrift list\n```\n<!-- /driftlab-output -->\n")
        try NotebookRunner(runner: FakeRunner()).run(fileAt: bareURL)
        #expect(try readText(bareURL) == bareWritten)

        // Output printed with CRLF terminators is stored with the notebook's own line ending.
        let crlfOutput = FakeRunner(respond: { _, _ in NotebookCommandResult(status: 0, standardOutput: "x\r\ny\r\n") })
        try NotebookRunner(runner: crlfOutput).run(fileAt: bareURL)
        #expect(try readText(bareURL).contains("```text\nx\ny\n```\n"))
    }

    @Test("output containing fences gets a longer fence and still round-trips; carriage-return progress collapses")
    func awkwardOutput() throws {
        let url = try writeNotebook("```driftlab\ndrift show\n```\n")
        let fake = FakeRunner(respond: { _, _ in
            NotebookCommandResult(status: 0, standardOutput: "```\n<!-- /driftlab-output -->\n10%\r50%\r100%  \n\n\n")
        })
        try NotebookRunner(runner: fake).run(fileAt: url)
        let written = try readText(url)
        #expect(written.contains("````text\n```\n<!-- /driftlab-output -->\n100%\n````\n<!-- /driftlab-output -->\n"))
        try NotebookRunner(runner: fake).run(fileAt: url)
        #expect(try readText(url) == written)
        #expect(try NotebookRunner(runner: fake).check(fileAt: url).isFresh)
    }

    @Test("ProcessCommandRunner runs a real program in the notebook folder, and bash for shell blocks")
    func processRunner() throws {
        let text = """
        ```driftlab
        hello "two words"
        ```

        ```sh exec
        echo "from $(basename "$DRIFTLAB")"
        echo oops >&2
        exit 4
        ```

        """
        let url = try writeNotebook(text)
        let runner = ProcessCommandRunner(executable: URL(fileURLWithPath: "/bin/echo"))
        let folder = url.deletingLastPathComponent()
        let direct = try runner.runDriftLab(arguments: ["a", "b c"], in: folder)
        #expect(direct == NotebookCommandResult(status: 0, standardOutput: "a b c\n", standardError: ""))
        let pwd = try runner.runShell(script: "pwd", in: folder)
        #expect(pwd.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            == folder.resolvingSymlinksInPath().path)

        #expect(throws: NotebookError.self) { try NotebookRunner(runner: runner, allowShell: true).run(fileAt: url) }
        let written = try readText(url)
        #expect(written.contains("```text\nhello two words\n```"))
        #expect(written.contains("```text\nfrom echo\noops\nexit status 4\n```"))
    }
}
