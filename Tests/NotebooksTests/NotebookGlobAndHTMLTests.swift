import Foundation
import Notebooks
import Testing
import TestSupport

/// File patterns in driftlab blocks, skipped blocks of other languages, and the HTML page.
@Suite struct NotebookGlobAndHTMLTests {
    @Test func onlyUnquotedWildcardsMakeAPattern() throws {
        let body = "runs summary runs/*.h5 'literal*.h5' \"q?.h5\" a\\*b c[01].h5\n"
        let command = try #require(try CommandLineSplitter.split(body, firstLine: 2, file: "nb.md").first)
        #expect(command.arguments == ["runs", "summary", "runs/*.h5", "literal*.h5", "q?.h5", "a*b", "c[01].h5"])
        #expect(command.patterns == [2, 6])
    }

    @Test func patternsExpandSortedAndRelativeToTheNotebooksFolder() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let runs = root.appendingPathComponent("data/runs")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        for name in ["2.h5", "10.h5", "0.h5", "notes.txt"] { try Data().write(to: runs.appendingPathComponent(name)) }
        let folder = root.appendingPathComponent("notebooks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        let command = NotebookCommand(arguments: ["runs", "summary", "../data/runs/*.h5", "--at", "1e6", "../none/*.h5"], line: 3,
                                      patterns: [2, 5])
        // Sorted as strings (as bash sorts), kept relative as written; no match stays literal.
        #expect(GlobExpansion.arguments(of: command, in: folder)
                == ["runs", "summary", "../data/runs/0.h5", "../data/runs/10.h5", "../data/runs/2.h5", "--at", "1e6", "../none/*.h5"])
        // An absolute pattern gives absolute paths.
        let absolute = GlobExpansion.matches(runs.path + "/*.txt", in: folder)
        #expect(absolute == [runs.path + "/notes.txt"])
    }

    @Test func theRunnerPassesTheMatchesToTheCommand() throws {
        let url = try writeNotebook("# x\n\n```driftlab\nruns summary data/*.h5\n```\n")
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        for seed in 0..<3 { try Data().write(to: folder.appendingPathComponent("data/\(seed).h5")) }
        let fake = FakeRunner()
        try NotebookRunner(runner: fake).run(fileAt: url)
        #expect(fake.calls == ["runs summary data/0.h5 data/1.h5 data/2.h5"])
    }

    @Test func blocksOfOtherLanguagesAreListedAsSkipped() throws {
        let text = "# x\n\n```python\nprint(1)\n```\n\n```sh\nls\n```\n\n```json\n{}\n```\n\n```\nno info\n```\n\n```driftlab\ndrift check dpo\n```\n"
        let notebook = try MarkdownNotebook(parsing: text, file: "nb.md")
        #expect(notebook.skippedBlocks == [SkippedBlock(line: 3, language: "python"), SkippedBlock(line: 7, language: "sh")])
        let summary = try #require(SkippedBlock.summary(notebook.skippedBlocks, file: "nb.md"))
        #expect(summary.contains("skipped 2 blocks") && summary.contains("python (line 3)")
                && summary.contains("sh (line 7; `sh exec` with --allow-shell runs it)"))
        #expect(SkippedBlock.summary([], file: "nb.md") == nil)
    }

    @Test func htmlEmbedsLocalImagesAndLeavesOthers() throws {
        let folder = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("figs"), withIntermediateDirectories: true)
        try bytes.write(to: folder.appendingPathComponent("figs/a.png"))
        let markdown = "# Title & more\n\nText.\n\n![](figs/a.png)\n\n![](figs/missing.png)\n\n![](https://example.org/b.png)\n"
        let page = NotebookHTML.render(markdown: markdown, folder: folder, fallbackTitle: "nb")
        #expect(page.embedded == ["figs/a.png"] && page.missing == ["figs/missing.png"])
        #expect(page.html.contains("<img src=\"data:image/png;base64,\(bytes.base64EncodedString())\""))
        #expect(page.html.contains("src=\"figs/missing.png\"") && page.html.contains("src=\"https://example.org/b.png\""))
        #expect(page.html.contains("<title>Title &amp; more</title>"))
    }
}
