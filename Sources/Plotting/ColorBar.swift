import Foundation

/// A vertical colour bar beside a heat map: the colour map as a strip with ticks and
/// labels on its right and a rotated label beyond them.
public struct ColorBar: Sendable {
    /// The bar's label (rich text), drawn rotated to read bottom to top.
    public var label: String?
    /// How the bar's ticks are placed and labelled.
    public var tickLabels: TickLabels
    /// About how many ticks; nil chooses from the bar's height.
    public var tickCount: Int?

    /// A colour bar with an optional label.
    public init(label: String? = nil, tickLabels: TickLabels = .automatic, tickCount: Int? = nil) {
        self.label = label
        self.tickLabels = tickLabels
        self.tickCount = tickCount
    }

    /// How many rows of colour the strip is drawn with (fine enough to look continuous).
    static let resolution = 256

    /// The ticks for a bar `height` points tall showing `range`.
    func marks(range: ClosedRange<Double>, height: Double) -> [TickMark] {
        let count = tickCount ?? max(3, min(9, Int(height / 32)))
        return tickLabels.marks(in: range, targetCount: count)
    }

    /// The width right of the heat map that the bar, its ticks, labels and title need.
    func requiredWidth(on canvas: Canvas, style: FigureStyle, range: ClosedRange<Double>, height: Double) throws -> Double {
        var labelWidth = 0.0
        for mark in marks(range: range, height: height) {
            labelWidth = max(labelWidth, try RichText(mark.label).width(on: canvas, size: style.tickLabelSize))
        }
        var width = style.colorBarPadding + style.colorBarWidth + style.tickLength + style.tickLabelPadding + labelWidth
        if let label {
            let extent = try RichText(label).verticalExtent(on: canvas, size: style.axisLabelSize)
            width += style.axisLabelPadding + extent.ascent + extent.descent
        }
        return width
    }

    /// Draws the bar for `map` beside `plot` (the heat map's rectangle).
    func draw(on canvas: Canvas, beside plot: Rect, map: ColorMap, style: FigureStyle) throws {
        let bar = Rect(x: plot.maxX + style.colorBarPadding, y: plot.y, width: style.colorBarWidth, height: plot.height)
        let range = map.domain
        let n = ColorBar.resolution
        let colors = (0..<n).map { i in
            // Row 0 is the top of the bar: the largest value.
            map.color(at: range.upperBound - (Double(i) + 0.5) / Double(n) * (range.upperBound - range.lowerBound))
        }
        try canvas.image(colors, rows: n, columns: 1, in: bar)
        try canvas.stroke(bar, .black, lineWidth: style.spineWidth)
        let scale = LinearScale(domain: range, start: bar.maxY, end: bar.y)
        var labelWidth = 0.0
        for mark in marks(range: range, height: bar.height) {
            let y = scale.map(mark.value)
            try canvas.line(from: Point(bar.maxX, y), to: Point(bar.maxX + style.tickLength, y), color: .black,
                            lineWidth: style.tickWidth)
            let text = RichText(mark.label)
            labelWidth = max(labelWidth, try text.width(on: canvas, size: style.tickLabelSize))
            try text.draw(on: canvas, at: Point(bar.maxX + style.tickLength + style.tickLabelPadding, y),
                          size: style.tickLabelSize, vertical: .center)
        }
        if let label {
            let text = RichText(label)
            let extent = try text.verticalExtent(on: canvas, size: style.axisLabelSize)
            let x = bar.maxX + style.tickLength + style.tickLabelPadding + labelWidth + style.axisLabelPadding + extent.ascent
            try text.draw(on: canvas, at: Point(x, bar.center.y), size: style.axisLabelSize, horizontal: .center,
                          rotationDegrees: 90)
        }
    }
}
