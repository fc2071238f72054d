import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Plotting
import Testing
import TestSupport

/// DPO's derivative of the objective with respect to r (Lu et al. 2022, Figure 5): for
/// A >= 0, A when r <= 1 else A sech^2((r - 1) A / 2); for A < 0, A when r >= 1 else
/// A - (A / r) tanh^2(A log r / 0.6).
func dpoObjectiveDerivative(r: Double, a: Double) -> Double {
    if a >= 0 {
        if r <= 1 { return a }
        let c = cosh((r - 1) * a / 2)
        return a / (c * c)
    }
    if r >= 1 { return a }
    let t = tanh(a * log(r) / 0.6)
    return a - (a / r) * t * t
}

@Suite struct FigureTests {
    /// True when every colour component of `a` is within `tolerance` of `b`'s.
    private func close(_ a: Color, _ b: Color, tolerance: Double = 0.03) -> Bool {
        abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
    }

    /// Renders `figure` as a PNG at `scale` pixels per point and reads it back.
    private func render(_ figure: Figure, scale: Double = 2) throws -> PNGImage {
        let directory = temporaryDirectory("plotting")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("figure.png")
        try figure.write(to: url, pixelsPerPoint: scale)
        return try PNGImage(contentsOf: url.path)
    }

    /// The pixel at canvas point (x, y) in an image rendered at `scale`.
    private func pixel(_ image: PNGImage, _ x: Double, _ y: Double, scale: Double = 2) -> Color {
        image.pixel(x: Int(x * scale), y: Int(y * scale))
    }

    /// How many pixels in the canvas rectangle are darker than mid grey (text, lines).
    private func darkPixels(_ image: PNGImage, in rect: Rect, scale: Double = 2) -> Int {
        var count = 0
        for y in Int(rect.y * scale)..<Int(rect.maxY * scale) {
            for x in Int(rect.x * scale)..<Int(rect.maxX * scale) where image.pixel(x: x, y: y).relativeLuminance < 0.2 {
                count += 1
            }
        }
        return count
    }

    private let blue = ColorMap.diverging.color(at: -1)
    private let red = ColorMap.diverging.color(at: 1)

    @Test func heatMapPutsRowZeroAtTheBottom() throws {
        // Row 0 (lowest y): [-2, +2]; row 1: [+1, NaN]. The limit is max |v| = 2.
        let map = HeatMap(values: [-2, 2, 1, .nan], rows: 2, columns: 2, xRange: 0...2, yRange: 10...20,
                          colorBar: ColorBar(label: "dObj/dr"))
        #expect(map.resolvedColorRange == -2...2)
        let canvasOrder = map.canvasColors()
        #expect(canvasOrder[0] == ColorMap.diverging.color(at: 0.5) && canvasOrder[1] == ColorMap.diverging.nanColor)
        #expect(canvasOrder[2] == blue && canvasOrder[3] == red)

        let figure = Figure(width: 300, height: 200)
        figure[0, 0].show(map)
        figure[0, 0].x.label = "r"
        figure[0, 0].y.label = "A"
        #expect(figure[0, 0].resolvedLimits().x == 0...2 && figure[0, 0].resolvedLimits().y == 10...20)
        let plot = try #require(try figure.plotAreas().first)
        let image = try render(figure)
        let (left, right) = (plot.x + plot.width / 4, plot.x + 3 * plot.width / 4)
        let (top, bottom) = (plot.y + plot.height / 4, plot.y + 3 * plot.height / 4)
        #expect(close(pixel(image, left, bottom), blue))                     // negative, bottom left
        #expect(close(pixel(image, right, bottom), red))                     // positive, bottom right
        #expect(close(pixel(image, left, top), ColorMap.diverging.color(at: 0.5)))
        #expect(close(pixel(image, right, top), ColorMap.diverging.nanColor)) // NaN: neutral grey
        // The colour bar right of the plot: red at the top, blue at the bottom, labelled.
        let barX = plot.maxX + FigureStyle().colorBarPadding + FigureStyle().colorBarWidth / 2
        #expect(close(pixel(image, barX, plot.y + 3), red, tolerance: 0.06))
        #expect(close(pixel(image, barX, plot.maxY - 3), blue, tolerance: 0.06))
        #expect(close(pixel(image, barX, plot.center.y), .white, tolerance: 0.06))
        #expect(darkPixels(image, in: Rect(x: barX + 8, y: plot.y, width: figure.width - barX - 8, height: plot.height)) > 50)
        // Axis labels and ticks below and left of the plot.
        #expect(darkPixels(image, in: Rect(x: plot.x, y: plot.maxY + 2, width: plot.width, height: figure.height - plot.maxY - 2)) > 50)
        #expect(darkPixels(image, in: Rect(x: 0, y: plot.y, width: plot.x - 1, height: plot.height)) > 50)
    }

    @Test func linesBandsAndGaps() throws {
        let figure = Figure(width: 300, height: 200)
        let panel = figure[0, 0]
        panel.x.limits = 0...10
        panel.y.limits = 0...1
        let x = (0...10).map(Double.init)
        // A rising diagonal with a ±0.1 band, and a flat line at 0.8 missing its value at x = 5.
        panel.plot(x: x, y: x.map { $0 / 10 }, color: .dpo, label: "DPO", lineWidth: 2, error: x.map { _ in 0.1 })
        var flat = x.map { _ in 0.8 }
        flat[5] = .nan
        panel.plot(x: x, y: flat, color: .lpoZero, label: "LPO-Zero", lineWidth: 2, error: x.map { _ in 0.05 })
        let plot = try #require(try figure.plotAreas().first)
        let xScale = LinearScale(domain: 0...10, start: plot.x, end: plot.maxX)
        let yScale = LinearScale(domain: 0...1, start: plot.maxY, end: plot.y)
        let image = try render(figure)
        for t in [2.5, 5.0, 7.5] {
            #expect(close(pixel(image, xScale.map(t), yScale.map(t / 10)), .dpo, tolerance: 0.08), "line at x = \(t)")
        }
        // The band (y + 0.06, inside y ± 0.1) is a lighter tint of the line's colour.
        let band = pixel(image, xScale.map(3), yScale.map(0.36))
        #expect(band.relativeLuminance > Color.dpo.relativeLuminance + 0.2 && band.relativeLuminance < 0.95)
        #expect(band.green > band.red + 0.05 && band.green > band.blue + 0.05)
        // Outside the band: white.
        #expect(close(pixel(image, xScale.map(3), yScale.map(0.5)), .white))
        // The flat line is drawn away from the gap and absent across it (no drop to zero either).
        #expect(close(pixel(image, xScale.map(2), yScale.map(0.8)), .lpoZero, tolerance: 0.08))
        #expect(close(pixel(image, xScale.map(8), yScale.map(0.8)), .lpoZero, tolerance: 0.08))
        for t in [4.5, 5.0, 5.5] {
            #expect(close(pixel(image, xScale.map(t), yScale.map(0.8)), .white), "gap at x = \(t)")
            #expect(close(pixel(image, xScale.map(t), yScale.map(0.8) + 1.5), .white), "band gap at x = \(t)")
        }
        #expect(close(pixel(image, xScale.map(5), yScale.map(0.02)), .white))
        #expect(LineSeries(x: x, y: flat, color: .ppo).finiteRuns() == [0..<5, 6..<11])
    }

    @Test func legendsDrawSamplesAndText() throws {
        let figure = Figure(width: 400, height: 300, rows: 1, columns: 2)
        figure.legend = FigureLegend(.bottom)
        for column in 0..<2 {
            let panel = figure[0, column]
            panel.y.limits = 0...1
            panel.plot(x: [0, 1], y: [0.1, 0.2], color: .ppo, label: "PPO")
            panel.plot(x: [0, 1], y: [0.15, 0.05], color: .lpo, label: "LPO")
        }
        figure[0, 1].plot(x: [0, 1], y: [0.2, 0.1], color: .dpo, label: "DPO")
        figure[0, 0].legend = Legend(.upperLeft)
        // Labels appear once each, in order of first appearance.
        #expect(figure.sharedLegendEntries().map(\.label) == ["PPO", "LPO", "DPO"])
        let plots = try figure.plotAreas()
        let image = try render(figure)
        // In-panel legend at the upper left: line samples and label text, over an empty area.
        let legendArea = Rect(x: plots[0].x + 6, y: plots[0].y + 6, width: 60, height: 30)
        var colours: [Color] = []
        for y in stride(from: legendArea.y, to: legendArea.maxY, by: 0.5) {
            colours.append(pixel(image, plots[0].x + 18, y))
        }
        #expect(colours.contains { close($0, .ppo, tolerance: 0.08) } && colours.contains { close($0, .lpo, tolerance: 0.08) })
        #expect(darkPixels(image, in: Rect(x: plots[0].x + 34, y: legendArea.y, width: 30, height: 30)) > 40)
        #expect(darkPixels(image, in: Rect(x: plots[1].x + 6, y: plots[1].y + 6, width: 60, height: 30)) == 0)
        // The shared legend strip under the panels holds all three colours and text.
        let strip = Rect(x: 0, y: figure.height - 20, width: figure.width, height: 18)
        #expect(darkPixels(image, in: strip) > 60)
        var found = Set<Int>()
        for y in stride(from: strip.y, to: strip.maxY, by: 0.5) {
            for x in stride(from: 0.0, to: figure.width, by: 0.5) {
                let c = pixel(image, x, y)
                for (i, series) in [Color.ppo, .lpo, .dpo].enumerated() where close(c, series, tolerance: 0.05) { found.insert(i) }
            }
        }
        #expect(found == [0, 1, 2])
    }

    @Test func bestLegendAvoidsTheData() throws {
        let figure = Figure(width: 300, height: 200)
        let panel = figure[0, 0]
        panel.x.limits = 0...1
        panel.y.limits = 0...1
        // Data crowd the upper half, so the lower corners are free; lower left is tried first.
        panel.plot(x: [0, 0.5, 1], y: [0.9, 0.7, 0.95], color: .ppo, label: "PPO")
        panel.legend = Legend(.best)
        let plot = try #require(try figure.plotAreas().first)
        let image = try render(figure)
        let half = Rect(x: plot.x + 2, y: plot.center.y + 20, width: plot.width / 2 - 4, height: plot.height / 2 - 22)
        let otherHalf = Rect(x: plot.center.x + 2, y: plot.center.y + 20, width: plot.width / 2 - 4, height: plot.height / 2 - 22)
        #expect(darkPixels(image, in: half) > 30)
        #expect(darkPixels(image, in: otherHalf) == 0)
    }

    @Test func gridLayoutAlignsPanelsInsideTheFigure() throws {
        let figure = Figure(widthInches: 8, heightInches: 6, rows: 2, columns: 2)
        figure.title = "Return over training"
        figure.legend = FigureLegend(.bottom)
        for row in 0..<2 {
            for column in 0..<2 {
                let panel = figure[row, column]
                panel.title = "Task \(row * 2 + column)"
                panel.x.label = "Environment steps"
                panel.y.label = "Return"
                // Very different y label widths: spines must still line up per column.
                let scale = row == 0 ? 1.0 : 123456.0
                panel.plot(x: [0, 5e6, 1e7], y: [0, scale, 2 * scale], color: .ppo, label: "PPO")
            }
        }
        let plots = try figure.plotAreas()
        #expect(plots.count == 4)
        #expect(Set(plots.map(\.width)).count == 1 && Set(plots.map(\.height)).count == 1)
        #expect(plots[0].x == plots[2].x && plots[1].x == plots[3].x)
        #expect(plots[0].y == plots[1].y && plots[2].y == plots[3].y)
        #expect(plots[1].x > plots[0].maxX + 30 && plots[2].y > plots[0].maxY + 30)
        #expect(plots.allSatisfy { $0.x > 30 && $0.maxX < figure.width && $0.y > 20 && $0.maxY < figure.height - 40 })
        #expect(plots[0].width > 200 && plots[0].height > 120)

        let tiny = Figure(width: 40, height: 30, rows: 2, columns: 2)
        tiny[0, 0].x.label = "x"
        let error = #expect(throws: PlottingError.self) { try tiny.render() }
        #expect(error?.message.contains("too small") == true)
    }

    @Test func limitsIgnoreMissingValues() {
        let panel = Axes()
        panel.plot(x: [0, 1, 2, .nan], y: [1, .nan, 3, 100], color: .ppo, error: [0.5, 0.5, 0.5, 0.5])
        let limits = panel.resolvedLimits()
        #expect(limits.x == 0...2)
        // y over finite values and band edges (0.5 ... 3.5), padded by 5 %.
        #expect(abs(limits.y.lowerBound - 0.35) < 1e-12 && abs(limits.y.upperBound - 3.65) < 1e-12)
        #expect(Axes().resolvedLimits().x == 0...1)
        let constant = Axes()
        constant.plot(x: [0, 1], y: [2, 2], color: .ppo)
        #expect(constant.resolvedLimits().y.upperBound > 2 && constant.resolvedLimits().y.lowerBound < 2)
        let empty = HeatMap(values: [.nan, 0], rows: 1, columns: 2, xRange: 0...1, yRange: 0...1)
        #expect(empty.resolvedColorRange == -1...1 && empty.canvasColors()[1] == .white)
        #expect(HeatMap(values: [1, 3], rows: 1, columns: 2, xRange: 0...1, yRange: 0...1, symmetric: false).resolvedColorRange == 1...3)
        #expect(HeatMap(values: [1, 3], rows: 1, columns: 2, xRange: 0...1, yRange: 0...1, limit: 10).resolvedColorRange == -10...10)
    }

    /// The paper's Figure 5 layout: DPO's dObj/dr over (log r, A) and slices at fixed A.
    /// Set PLOTTING_DEMO_DIR to keep the PNG, PDF and SVG.
    @Test func dpoFigureFiveWritesAllFormats() throws {
        let keep = ProcessInfo.processInfo.environment["PLOTTING_DEMO_DIR"]
        let directory = keep.map { URL(fileURLWithPath: $0) } ?? temporaryDirectory("plotting")
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }

        let figure = Figure(widthInches: 12, heightInches: 4, rows: 1, columns: 2)
        let map = figure[0, 0]
        map.title = "DPO: dObj/dr"
        map.show(HeatMap(xRange: -1...1, yRange: -4...4, rows: 128, columns: 128, colorBar: ColorBar(label: "dObj/dr")) {
            dpoObjectiveDerivative(r: exp($0), a: $1)
        })
        map.x.label = "r"
        map.x.tickLabels = .exponential(base: "e")
        map.y.label = "A"
        map.addReferenceLine(.vertical, at: 0, color: .black)
        let slices = figure[0, 1]
        slices.title = "Slices at fixed A"
        slices.x.label = "r"
        slices.y.label = "dObj/dr"
        let r = stride(from: exp(-1.0), through: exp(1.0), by: 0.01).map { $0 }
        for (a, color) in zip([-2.0, -1, 1, 2], [Color.ppo, .lpo, .dpo, .lpoZero]) {
            slices.plot(x: r, y: r.map { dpoObjectiveDerivative(r: $0, a: a) }, color: color,
                        label: "A = " + NumberFormat(.fixed(fractionDigits: 0)).string(a))
        }
        slices.addReferenceLine(.vertical, at: 1)
        slices.addReferenceLine(.horizontal, at: 0)
        slices.legend = Legend()

        let urls = try figure.write(basePath: directory.appendingPathComponent("figure5").path, pixelsPerPoint: 2)
        #expect(urls.map(\.lastPathComponent) == ["figure5.png", "figure5.pdf", "figure5.svg"])
        let image = try PNGImage(contentsOf: urls[0].path)
        #expect(image.width == 1728 && image.height == 576)
        let plot = try figure.plotAreas()[0]
        let x = LinearScale(domain: -1...1, start: plot.x, end: plot.maxX)
        let y = LinearScale(domain: -4...4, start: plot.maxY, end: plot.y)
        // r < 1 with A > 0: dObj/dr = A > 0 (red); r > 1 with A < 0: A < 0 (blue).
        #expect(pixel(image, x.map(-0.5), y.map(3)).red > 0.9 && pixel(image, x.map(-0.5), y.map(3)).blue < 0.6)
        #expect(pixel(image, x.map(0.5), y.map(-3)).blue > 0.9 && pixel(image, x.map(0.5), y.map(-3)).red < 0.7)

        #expect(try Data(contentsOf: urls[1]).starts(with: Data("%PDF".utf8)))
        let parser = XMLParser(data: try Data(contentsOf: urls[2]))
        final class Root: NSObject, XMLParserDelegate {
            var name: String?
            func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if name == nil { name = element }
            }
        }
        let root = Root()
        parser.delegate = root
        #expect(parser.parse() && root.name == "svg")
    }
}
