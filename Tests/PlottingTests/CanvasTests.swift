import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plotting
import Testing
import TestSupport

@Suite struct CanvasTests {
    /// True when every component of `a` is within `tolerance` of `b`'s.
    private func close(_ a: Color, _ b: Color, tolerance: Double = 0.02) -> Bool {
        abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance
            && abs(a.blue - b.blue) <= tolerance && abs(a.alpha - b.alpha) <= tolerance
    }

    /// Writes `canvas` as PNG at `scale` and reads it back.
    private func render(_ canvas: Canvas, scale: Double = 2) throws -> PNGImage {
        let directory = temporaryDirectory("plotting")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("canvas.png")
        try canvas.write(to: url, pixelsPerPoint: scale)
        return try PNGImage(contentsOf: url.path)
    }

    @Test func pngHasScaledSizeAndShapesWhereDrawn() throws {
        let canvas = try Canvas(width: 100, height: 50)
        try canvas.fill(Rect(x: 10, y: 10, width: 30, height: 20), .lpoZero)
        try canvas.fill(Rect(x: 60, y: 5, width: 30, height: 40), .ppo)
        // Half-transparent green over the blue rectangle's lower part.
        try canvas.fill(Rect(x: 60, y: 30, width: 30, height: 15), Color.dpo.withAlpha(0.5))
        try canvas.fillCircle(center: Point(25, 40), radius: 5, .black)
        try canvas.line(from: Point(0, 2), to: Point(100, 2), color: .lpo, lineWidth: 2)
        let image = try render(canvas, scale: 2)
        #expect(image.width == 200 && image.height == 100)
        // Points are doubled into pixels: (25, 20) pt is pixel (50, 40).
        #expect(close(image.pixel(x: 50, y: 40), .lpoZero))
        #expect(close(image.pixel(x: 150, y: 30), .ppo))
        #expect(close(image.pixel(x: 150, y: 80), Color.ppo.interpolated(to: .dpo, fraction: 0.5)))
        #expect(close(image.pixel(x: 50, y: 80), .black))
        #expect(close(image.pixel(x: 100, y: 4), .lpo))
        // Background stays white outside every shape, including just outside the red edge.
        #expect(close(image.pixel(x: 2, y: 98), .white))
        #expect(close(image.pixel(x: 82, y: 40), .white))
        #expect(close(image.pixel(x: 50, y: 18), .white))
    }

    @Test func transparentBackgroundAndScaleOne() throws {
        let canvas = try Canvas(width: 20, height: 10, background: nil)
        try canvas.fill(Rect(x: 0, y: 0, width: 10, height: 10), Color(hex: 0x336699))
        let image = try render(canvas, scale: 1)
        #expect(image.width == 20 && image.height == 10)
        #expect(close(image.pixel(x: 5, y: 5), Color(hex: 0x336699)))
        #expect(image.pixel(x: 15, y: 5).alpha == 0)
    }

    @Test func imageCellsAreSharpAndRowZeroIsOnTop() throws {
        let canvas = try Canvas(width: 40, height: 40)
        try canvas.image([.ppo, .lpo, .dpo, .lpoZero], rows: 2, columns: 2, in: Rect(x: 0, y: 0, width: 40, height: 40))
        let image = try render(canvas, scale: 1)
        #expect(close(image.pixel(x: 10, y: 10), .ppo))
        #expect(close(image.pixel(x: 30, y: 10), .lpo))
        #expect(close(image.pixel(x: 10, y: 30), .dpo))
        #expect(close(image.pixel(x: 30, y: 30), .lpoZero))
        // Nearest-neighbour: the pixel just left of the cell boundary is not blended.
        #expect(close(image.pixel(x: 19, y: 10), .ppo))
        #expect(throws: PlottingError.self) { try canvas.image([.ppo], rows: 2, columns: 2, in: Rect(x: 0, y: 0, width: 1, height: 1)) }
    }

    /// The bounding box of non-white pixels.
    private func inkBox(_ image: PNGImage) -> (minX: Int, maxX: Int, minY: Int, maxY: Int)? {
        var box: (minX: Int, maxX: Int, minY: Int, maxY: Int)? = nil
        for y in 0..<image.height {
            for x in 0..<image.width where image.pixel(x: x, y: y).red < 0.5 {
                box = (min(box?.minX ?? x, x), max(box?.maxX ?? x, x), min(box?.minY ?? y, y), max(box?.maxY ?? y, y))
            }
        }
        return box
    }

    @Test func textAlignsAndRotates() throws {
        let label = "MMMMMM"
        let right = try Canvas(width: 200, height: 100)
        try right.text(label, at: Point(150, 50), size: 12, horizontal: .right, vertical: .center)
        let width = try right.textWidth(label, size: 12)
        #expect(width > 40 && width < 100)
        let box = try #require(inkBox(try render(right, scale: 1)))
        // Right-aligned: the ink ends at the anchor and spans about the advance width.
        #expect(box.maxX <= 151 && box.maxX >= 146)
        #expect(abs(Double(box.maxX - box.minX) - width) < 4)
        // Vertically centred on y = 50: the capitals straddle the anchor.
        #expect(box.minY < 50 && box.maxY > 45 && box.maxY - box.minY < 14)

        let rotated = try Canvas(width: 100, height: 200)
        try rotated.text(label, at: Point(50, 100), size: 12, horizontal: .center, vertical: .center, rotationDegrees: 90)
        let tall = try #require(inkBox(try render(rotated, scale: 1)))
        // Turned a quarter: tall and narrow, centred on the anchor.
        #expect(tall.maxY - tall.minY > 40 && tall.maxX - tall.minX < 14)
        #expect(abs(Double(tall.maxY + tall.minY) / 2 - 100) < 3)
    }

    @Test func negativeNumbersDrawWithTheMinusGlyph() throws {
        // U+2212 is in DejaVu Sans: it must draw ink, not an empty "missing glyph" box.
        let canvas = try Canvas(width: 60, height: 30)
        try canvas.text(NumberFormat(.fixed(fractionDigits: 1)).string(-2.5), at: Point(5, 20), size: 14)
        let box = try #require(inkBox(try render(canvas, scale: 1)))
        #expect(box.maxX - box.minX > 20)
    }

    @Test func pdfAndSvgAreVectorDocuments() throws {
        let directory = temporaryDirectory("plotting")
        defer { try? FileManager.default.removeItem(at: directory) }
        let canvas = try Canvas(width: 120, height: 80)
        try canvas.polyline([Point(10, 70), Point(60, 10), Point(110, 50)], color: .lpo, lineWidth: 1.5, dash: [4, 2])
        try canvas.fillPolygon([Point(10, 70), Point(60, 20), Point(110, 60)], Color.ppo.withAlpha(0.3))
        try canvas.stroke(Rect(x: 5, y: 5, width: 110, height: 70), .black)
        try canvas.strokeCircle(center: Point(60, 40), radius: 10, .dpo)
        try canvas.withClip(Rect(x: 0, y: 0, width: 60, height: 80)) {
            try canvas.text("Return \u{2212}1.5", at: Point(60, 78), size: 8, horizontal: .center)
        }
        let pdf = directory.appendingPathComponent("figure.pdf")
        try canvas.write(to: pdf)
        let pdfData = try Data(contentsOf: pdf)
        #expect(pdfData.starts(with: Data("%PDF".utf8)))
        #expect(pdfData.count > 500)

        let svg = directory.appendingPathComponent("figure.svg")
        try canvas.write(to: svg)
        let svgData = try Data(contentsOf: svg)
        #expect(String(decoding: svgData, as: UTF8.self).contains("<svg"))
        let parser = XMLParser(data: svgData)
        final class Root: NSObject, XMLParserDelegate {
            var name: String?
            var paths = 0
            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == nil { name = element }
                if element == "path" { paths += 1 }
            }
        }
        let root = Root()
        parser.delegate = root
        #expect(parser.parse())
        #expect(root.name == "svg")
        // Lines stay vector paths, not an embedded raster.
        #expect(root.paths >= 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["figure.pdf", "figure.svg"])
    }

    @Test func svgWithImagesIsTheSameWhateverWasDrawnBefore() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func draw(_ name: String) throws -> Data {
            let canvas = try Canvas(width: 80, height: 60)
            try canvas.image([.black, .white, .dpo, .ppo], rows: 2, columns: 2, in: Rect(x: 10, y: 10, width: 40, height: 40))
            try canvas.withClip(Rect(x: 0, y: 0, width: 30, height: 30)) { try canvas.fill(Rect(x: 0, y: 0, width: 20, height: 20), .lpo) }
            let url = directory.appendingPathComponent(name)
            try canvas.write(to: url)
            return try Data(contentsOf: url)
        }
        let first = try draw("a.svg")
        _ = try draw("other.svg") // advances Cairo's process-wide surface and image counters
        let again = try draw("b.svg")
        #expect(first == again)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("id=\"image1\"") && text.contains("#image1\""))
    }

    @Test func writeIsAtomicAndErrorsNameTheFile() throws {
        let directory = temporaryDirectory("plotting")
        defer { try? FileManager.default.removeItem(at: directory) }
        let canvas = try Canvas(width: 10, height: 10)
        let url = directory.appendingPathComponent("fig.png")
        try Data("old".utf8).write(to: url)
        try canvas.write(to: url, pixelsPerPoint: 1)
        #expect(try PNGImage(contentsOf: url.path).width == 10)

        let jpeg = directory.appendingPathComponent("fig.jpg")
        let format = #expect(throws: PlottingError.self) { try canvas.write(to: jpeg) }
        #expect(format?.kind == .unsupportedFormat && format?.message.contains("fig.jpg") == true)

        let nowhere = directory.appendingPathComponent("missing/fig.pdf")
        let missing = #expect(throws: PlottingError.self) { try canvas.write(to: nowhere) }
        #expect(missing?.kind == .cairo && missing?.message.contains(nowhere.path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["fig.png"])

        let notPNG = #expect(throws: PlottingError.self) { try PNGImage(contentsOf: directory.appendingPathComponent("none.png").path) }
        #expect(notPNG?.message.contains("none.png") == true)
        #expect(throws: PlottingError.self) { try Canvas(width: 0, height: 10) }
    }
}
