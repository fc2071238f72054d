import Foundation
import Testing
import TestSupport

/// Notebooks as a researcher writes and shares them (issue 18, finding 5): globs, paths relative
/// to the notebook, other languages reported, and a standalone HTML page.
@Suite struct NotebookRenderTests {
    let small = ["--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2", "--set", "evalEpisodes=2",
                 "--steps", "128", "--quiet"]

    let notebook = """
        # Two seeds of CartPole

        ```driftlab
        runs summary ../data/runs/cp/*.h5 --at 128
        drift map dpo --resolution 21 --png figs/dpo.png
        ```

        ```python
        import h5py  # not run: notebooks run driftlab blocks only
        ```

        ```text
        plain text, never reported
        ```
        """

    /// A project folder `root` with `notebooks/nb.md` and two run files under `data/runs/cp/`.
    func project(at root: URL) throws -> URL {
        let runs = root.appendingPathComponent("data/runs/cp").path
        let train = try DriftLabBinary.run(["train", "--env", "cartpole", "--seeds", "0-1", "--out-dir", runs] + small)
        #expect(train.status == 0, "\(train.stderr)")
        let folder = root.appendingPathComponent("notebooks")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("figs"), withIntermediateDirectories: true)
        let url = folder.appendingPathComponent("nb.md")
        try notebook.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func globsAndRelativePathsWorkInACopiedNotebookRunFromElsewhere() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try project(at: dir.appendingPathComponent("original"))
        // A copy of the whole project keeps working, run from an unrelated folder.
        try FileManager.default.copyItem(at: dir.appendingPathComponent("original"), to: dir.appendingPathComponent("copy"))
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = try DriftLabBinary.run(["notebook", "run", "../copy/notebooks/nb.md"], in: elsewhere)
        #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
        let text = try String(contentsOf: dir.appendingPathComponent("copy/notebooks/nb.md"), encoding: .utf8)
        // The glob found both seeds; the figure is linked relative to the notebook.
        #expect(text.contains("2 runs)"), "\(text)")
        #expect(text.contains("![](figs/dpo.png)"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("copy/notebooks/figs/dpo.png").path))
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("figs").path))
        // The python block is reported as skipped, the text block is not.
        #expect(run.stdout.contains("skipped 1 block in other languages") && run.stdout.contains("python (line 8)"), "\(run.stdout)")
        #expect(!run.stdout.contains("text (line"))
        let check = try DriftLabBinary.run(["notebook", "check", "../copy/notebooks/nb.md"], in: elsewhere)
        // The outputs written above the python block moved it down.
        #expect(check.status == 0 && check.stdout.contains("python (line "), "\(check.stdout)")
    }

    @Test func renderWritesAStandalonePageWithTheFiguresEmbedded() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try project(at: dir)
        #expect(try DriftLabBinary.run(["notebook", "run", url.path]).status == 0)
        let html = dir.appendingPathComponent("nb.html").path
        let render = try DriftLabBinary.run(["notebook", "render", url.path, "--html", html])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("1 figures embedded"))
        let page = try String(contentsOf: URL(fileURLWithPath: html), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<title>Two seeds of CartPole</title>"))
        #expect(page.contains("<h1>Two seeds of CartPole</h1>"))
        // The figure's bytes, embedded: the page needs no folder beside it.
        let png = try Data(contentsOf: dir.appendingPathComponent("notebooks/figs/dpo.png"))
        #expect(page.contains("<img src=\"data:image/png;base64,\(png.base64EncodedString())\""))
        #expect(!page.contains("src=\"figs/"))
        #expect(page.contains("runs summary ../data/runs/cp/*.h5"))

        // In a real browser, where Chromium is installed: the image decodes at the PNG's size.
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else { return }
        let probe = dir.appendingPathComponent("probe.html")
        let script = """
            <script>window.addEventListener("load", () => document.body.setAttribute("data-images",
              [...document.images].map(i => i.complete + ":" + i.naturalWidth + "x" + i.naturalHeight).join(",")));</script>
            """
        try (page + script).write(to: probe, atomically: true, encoding: .utf8)
        let (status, dom) = try runProcess(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                                                      "--dump-dom", probe.absoluteString])
        #expect(status == 0)
        #expect(dom.contains("data-images=\"true:1950x1350\""), "\(dom.suffix(500))")
    }
}
