import Foundation
import Notebooks
import Testing

@Suite("Notebook parsing")
struct NotebookParsingTests {
    @Test("a notebook without executable blocks round-trips byte for byte")
    func roundTrip() throws {
        let text = """
        # Title

        Some prose with `inline code` and a list:
        - one
        - two

        ```python
        print("not run")
        ```

        ~~~sh
        echo documentation only
        ~~~

        ````markdown
        ```driftlab
        this is inside a longer fence, so it is not a block of its own
        ```
        ````
           ```
        indented fence, still a fence
           ```
        trailing spaces   \("")
        no newline at the end
        """
        let notebook = try MarkdownNotebook(parsing: text, file: "t.md")
        #expect(notebook.text == text)
        #expect(notebook.executableBlockIndices.isEmpty)
        let infos = notebook.parts.compactMap { part -> String? in
            if case let .code(block) = part { return block.infoString } else { return nil }
        }
        #expect(infos == ["python", "sh", "markdown", ""])
    }

    @Test("executable blocks are recognised by their info string and keep their line numbers")
    func blockKinds() throws {
        let text = "intro\n\n```driftlab\ndrift list\n```\n\n```sh exec\necho hi\n```\n\n```bash\nls\n```\n"
        let notebook = try MarkdownNotebook(parsing: text, file: "t.md")
        #expect(notebook.text == text)
        let blocks = notebook.parts.compactMap { part -> FencedBlock? in
            if case let .code(block) = part { return block } else { return nil }
        }
        #expect(blocks.map(\.kind) == [.driftlab, .shell, .passive])
        #expect(blocks.map(\.line) == [3, 7, 11])
        #expect(blocks[0].body == "drift list\n")
        #expect(try blocks[0].commands(file: "t.md") == [NotebookCommand(arguments: ["drift", "list"], line: 4)])
    }

    @Test("CRLF notebooks round-trip and their bodies lose the carriage returns")
    func crlfRoundTrip() throws {
        let text = "# T\r\n\r\n```driftlab\r\ndrift map dpo\r\n```\r\ntail"
        let notebook = try MarkdownNotebook(parsing: text, file: "t.md")
        #expect(notebook.text == text)
        #expect(notebook.lineEnding == "\r\n")
        guard case let .code(block) = notebook.parts[notebook.executableBlockIndices[0]] else {
            Issue.record("no block")
            return
        }
        #expect(block.body == "drift map dpo\n")
    }

    @Test("an output region is one part, even when its text contains the end marker inside the fence")
    func outputRegionParsing() throws {
        let text = """
        ```driftlab
        x
        ```

        <!-- driftlab-output -->
        ```text
        <!-- /driftlab-output -->
        ```
        <!-- /driftlab-output -->
        after

        """
        let notebook = try MarkdownNotebook(parsing: text, file: "t.md")
        #expect(notebook.text == text)
        let index = notebook.executableBlockIndices[0]
        let outputIndex = try #require(notebook.outputIndex(forBlockAt: index))
        guard case let .output(region) = notebook.parts[outputIndex] else {
            Issue.record("not an output region")
            return
        }
        #expect(region.line == 5)
        #expect(region.comparableLines.count == 5)
    }

    @Test("unclosed executable fences and output regions are errors naming the line")
    func unclosed() {
        #expect(throws: NotebookError.unclosedFence(file: "t.md", line: 2)) {
            try MarkdownNotebook(parsing: "a\n```driftlab\ndrift list\n", file: "t.md")
        }
        #expect(throws: NotebookError.unclosedOutput(file: "t.md", line: 4)) {
            try MarkdownNotebook(parsing: "```driftlab\nx\n```\n<!-- driftlab-output -->\n```text\n```\n", file: "t.md")
        }
        // A passive unclosed fence runs to the end of the file, as in CommonMark.
        #expect(throws: Never.self) { try MarkdownNotebook(parsing: "```python\nx = 1\n", file: "t.md") }
    }

    @Test("commands split with quotes, escapes, comments and line continuation")
    func quotingAndContinuation() throws {
        let body = """
        # a comment line
        drift map dpo --csv "out dir/map.csv" 'it''s' --title "say \\"hi\\" \\n" \\
            --grid 64 \\
            --flag   # trailing comment

          train   --name a\\ b '' x#y

        """
        let commands = try CommandLineSplitter.split(body, firstLine: 10, file: "t.md")
        #expect(commands == [
            NotebookCommand(arguments: ["drift", "map", "dpo", "--csv", "out dir/map.csv", "its", "--title",
                                        "say \"hi\" \\n", "--grid", "64", "--flag"], line: 11),
            NotebookCommand(arguments: ["train", "--name", "a b", "", "x#y"], line: 15),
        ])
        #expect(commands[1].display == "driftlab train --name 'a b' '' 'x#y'")
    }

    @Test("malformed command lines are refused with their line")
    func malformedCommands() {
        #expect(throws: NotebookError.malformedCommand(file: "t.md", line: 6, reason: "unterminated double quote")) {
            try CommandLineSplitter.split("drift list\ntrain --name \"open\n", firstLine: 5, file: "t.md")
        }
        #expect(throws: NotebookError.malformedCommand(file: "t.md", line: 5, reason: "unterminated single quote")) {
            try CommandLineSplitter.split("drift 'x\n", firstLine: 5, file: "t.md")
        }
        #expect(throws: NotebookError.malformedCommand(file: "t.md", line: 5,
                                                        reason: "line continuation with no line after it")) {
            try CommandLineSplitter.split("drift list \\\n", firstLine: 5, file: "t.md")
        }
    }
}
