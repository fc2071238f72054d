import Foundation
import Plotting
import Testing
import TestSupport

@Suite struct RichTextTests {
    @Test func parsesBracedScripts() {
        let power = RichText("e^{\u{2212}1}")
        #expect(power.runs.count == 2 && power.runs[0].text == "e" && power.runs[1].position == .superscript)
        #expect(power.plainText == "e\u{2212}1")
        let sub = RichText("r_{t} ratio")
        #expect(sub.runs.map(\.position) == [.normal, .subscript, .normal] && sub.runs[1].text == "t")
        // Bare carets and underscores are literal.
        #expect(RichText("run_3 a^b").runs.map(\.text) == ["run_3 a^b"])
        #expect(RichText("x^{2") == RichText("x^{2}"))
    }

    /// The rows holding ink (darker than mid grey) in the canvas column range `x`.
    private func inkRows(_ canvas: Canvas, columns x: Range<Int>) throws -> [Int] {
        let directory = temporaryDirectory("plotting")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("text.png")
        try canvas.write(to: url, pixelsPerPoint: 1)
        let image = try PNGImage(contentsOf: url.path)
        return (0..<image.height).filter { y in x.contains { image.pixel(x: $0, y: y).relativeLuminance < 0.2 } }
    }

    @Test func superscriptsAreSmallerAndRaised() throws {
        let canvas = try Canvas(width: 120, height: 60)
        let text = RichText("M^{MM}")
        let size = 20.0
        let base = try canvas.textWidth("M", size: size)
        let script = try canvas.textWidth("MM", size: size * RichText.scriptScale)
        #expect(abs(try text.width(on: canvas, size: size) - (base + script)) < 1e-9)
        try text.draw(on: canvas, at: Point(10, 40), size: size)
        let baseRows = try inkRows(canvas, columns: 10..<(10 + Int(base) - 2))
        let scriptRows = try inkRows(canvas, columns: (12 + Int(base))..<(8 + Int(base + script)))
        let (baseTop, baseBottom) = (try #require(baseRows.min()), try #require(baseRows.max()))
        let (scriptTop, scriptBottom) = (try #require(scriptRows.min()), try #require(scriptRows.max()))
        // The base capital sits on the baseline (y = 40); the script is shorter and raised 0.4 em.
        #expect(abs(baseBottom - 39) <= 1)
        #expect(scriptBottom - scriptTop < baseBottom - baseTop)
        #expect(abs(Double(baseBottom - scriptBottom) - 0.4 * size) <= 1.5)
        #expect(scriptTop < baseTop)
        let metrics = try canvas.fontMetrics(size: size)
        #expect(try text.verticalExtent(on: canvas, size: size).ascent >= metrics.ascent)
        // A subscript reaches below the base font's descent, and the extent says so.
        #expect(try RichText("x_{i}").verticalExtent(on: canvas, size: size).descent > metrics.descent + 1)
    }
}
