import Foundation
import Testing
import TestSupport

@Suite struct NotebookCommandTests {
    let notebook = """
    # Fitting the closed form

    DPO's constants come back from its own map:

    ```driftlab
    drift fit dpo --resolution 41
    drift map dpo --csv dpo.csv --resolution 5
    ```

    Done.
    """

    @Test func runWritesOutputsIdempotentlyAndCheckCatchesStaleness() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("fit.md")
        try notebook.write(to: url, atomically: true, encoding: .utf8)

        let first = try DriftLabBinary.run(["notebook", "run", url.path])
        #expect(first.status == 0, "\(first.stderr)")
        let once = try String(contentsOf: url, encoding: .utf8)
        #expect(once.contains("<!-- driftlab-output -->") && once.contains("alpha 2, beta 0.6"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("dpo.csv").path))

        #expect(try DriftLabBinary.run(["notebook", "run", url.path]).status == 0)
        #expect(try String(contentsOf: url, encoding: .utf8) == once)
        #expect(try DriftLabBinary.run(["notebook", "check", url.path]).status == 0)

        // Change the command: the stored output no longer matches.
        try once.replacingOccurrences(of: "drift fit dpo ", with: "drift fit dpo:alpha=1.5 ")
            .write(to: url, atomically: true, encoding: .utf8)
        let stale = try DriftLabBinary.run(["notebook", "check", url.path])
        #expect(stale.status == 1)
    }

    @Test func unknownCommandFailsWithItsLine() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.md")
        try "Text\n\n```driftlab\nfrobnicate --now\n```\n".write(to: url, atomically: true, encoding: .utf8)
        let result = try DriftLabBinary.run(["notebook", "run", url.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("frobnicate") && result.stderr.contains(":4"), "\(result.stderr)")
    }
}
