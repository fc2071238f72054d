import Foundation

/// One panel of a figure: a plotting rectangle with x and y scales, spines, outward ticks,
/// tick and axis labels, an optional title, grid, reference lines, legend, and content
/// (line series with bands, a heat map with its colour bar).
///
/// Panels are created by `Figure` and configured in place:
///
/// ```swift
/// let panel = figure[0, 1]
/// panel.title = "DPO, slices"
/// panel.x.label = "r"
/// panel.plot(LineSeries(x: r, y: slice, color: .dpo, label: "A = 1"))
/// panel.addReferenceLine(.vertical, at: 1)
/// panel.legend = Legend(.upperLeft)
/// ```
public final class Axes {
    /// Panel title (rich text), drawn centred above the plot area.
    public var title: String?
    /// The horizontal axis.
    public var x = Axis()
    /// The vertical axis.
    public var y = Axis()
    /// The line series, drawn in order (later on top).
    public private(set) var series: [LineSeries] = []
    /// The heat map, drawn under everything else; nil for none.
    public var heatMap: HeatMap?
    /// Reference lines, drawn over the heat map and under the series.
    public var referenceLines: [ReferenceLine] = []
    /// The in-panel legend; nil for none.
    public var legend: Legend?
    /// Draws the top and right spines too (a closed frame, matplotlib's default).
    public var closedFrame = true

    /// An empty panel.
    public init(title: String? = nil) {
        self.title = title
    }

    /// Adds a line series (and its band).
    public func plot(_ line: LineSeries) {
        series.append(line)
    }

    /// Adds a line through (x, y) with an optional y ± `error` band.
    public func plot(x: [Double], y: [Double], color: Color, label: String? = nil, lineWidth: Double? = nil,
                     dash: [Double] = [], error: [Double]? = nil) {
        plot(LineSeries(x: x, y: y, color: color, label: label, lineWidth: lineWidth, dash: dash, error: error))
    }

    /// Shows `heatMap` (replacing any earlier one); the axes default to its extent.
    public func show(_ heatMap: HeatMap) {
        self.heatMap = heatMap
    }

    /// Adds a reference line, dashed grey by default.
    public func addReferenceLine(_ orientation: ReferenceLine.Orientation, at value: Double, color: Color = .gray,
                                 lineWidth: Double = 0.8, dash: [Double] = [4, 3]) {
        referenceLines.append(ReferenceLine(orientation, at: value, color: color, lineWidth: lineWidth, dash: dash))
    }

    /// The legend entries of the labelled series, in drawing order.
    public func legendEntries(style: FigureStyle = FigureStyle()) -> [LegendEntry] {
        series.compactMap { LegendEntry(series: $0, style: style) }
    }

    // MARK: Limits and ticks

    /// The data intervals shown: the axes' `limits` when set; else the heat map's extent;
    /// else the series' finite range, exact along x and padded by 5 % along y (as
    /// matplotlib's default margins); [0, 1] for an empty panel.
    public func resolvedLimits() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var dataX: ClosedRange<Double>? = heatMap?.xRange
        var dataY: ClosedRange<Double>? = heatMap?.yRange
        if heatMap == nil {
            for bounds in series.compactMap(\.dataBounds) {
                dataX = dataX.map { min($0.lowerBound, bounds.x.lowerBound)...max($0.upperBound, bounds.x.upperBound) } ?? bounds.x
                dataY = dataY.map { min($0.lowerBound, bounds.y.lowerBound)...max($0.upperBound, bounds.y.upperBound) } ?? bounds.y
            }
            if let y = dataY {
                let pad = (y.upperBound - y.lowerBound) * 0.05
                dataY = (y.lowerBound - pad)...(y.upperBound + pad)
            }
        }
        return (LinearScale.usableDomain(x.limits ?? dataX ?? 0...1), LinearScale.usableDomain(y.limits ?? dataY ?? 0...1))
    }

    /// The x ticks for a plot area `width` points wide: about one per 55 pt (or
    /// `x.tickCount`), thinned until neighbouring labels keep at least 6 pt apart.
    func xMarks(domain: ClosedRange<Double>, width: Double, on canvas: Canvas, style: FigureStyle) throws -> [TickMark] {
        var count = x.tickCount ?? max(2, min(10, Int(width / 55)))
        while true {
            let marks = x.tickLabels.marks(in: domain, targetCount: count)
            if count <= 2 || x.tickCount != nil { return marks }
            let scale = LinearScale(domain: domain, start: 0, end: width)
            let widths = try marks.map { try RichText($0.label).width(on: canvas, size: style.tickLabelSize) }
            let fits = marks.indices.dropFirst().allSatisfy { i in
                scale.map(marks[i].value) - scale.map(marks[i - 1].value) >= (widths[i] + widths[i - 1]) / 2 + 6
            }
            if fits { return marks }
            count -= 1
        }
    }

    /// The y ticks for a plot area `height` points tall: about one per 30 pt (or `y.tickCount`).
    func yMarks(domain: ClosedRange<Double>, height: Double) -> [TickMark] {
        y.tickLabels.marks(in: domain, targetCount: y.tickCount ?? max(2, min(10, Int(height / 30))))
    }

    // MARK: Layout

    /// Space (in points) that labels, ticks, title and colour bar need outside a plot area
    /// of `plotSize`, on each side.
    func insets(plotSize: (width: Double, height: Double), on canvas: Canvas, style: FigureStyle) throws -> Insets {
        let limits = resolvedLimits()
        let tickFont = try canvas.fontMetrics(size: style.tickLabelSize)
        let tickLabelHeight = tickFont.ascent + tickFont.descent
        let ticksOut = style.tickLength + style.tickLabelPadding

        var yLabelWidth = 0.0
        for mark in yMarks(domain: limits.y, height: plotSize.height) {
            yLabelWidth = max(yLabelWidth, try RichText(mark.label).width(on: canvas, size: style.tickLabelSize))
        }
        var left = ticksOut + yLabelWidth
        if let label = y.label {
            let extent = try RichText(label).verticalExtent(on: canvas, size: style.axisLabelSize)
            left += style.axisLabelPadding + extent.ascent + extent.descent
        }

        let xMarks = try xMarks(domain: limits.x, width: plotSize.width, on: canvas, style: style)
        let xScale = LinearScale(domain: limits.x, start: 0, end: plotSize.width)
        // The first x label is centred on its tick and may overhang the left spine.
        if let first = xMarks.first {
            let halfWidth = try RichText(first.label).width(on: canvas, size: style.tickLabelSize) / 2
            left = max(left, halfWidth - xScale.map(first.value))
        }
        var xLabelHeight = 0.0
        for mark in xMarks where !mark.label.isEmpty {
            let extent = try RichText(mark.label).verticalExtent(on: canvas, size: style.tickLabelSize)
            xLabelHeight = max(xLabelHeight, extent.ascent + extent.descent)
        }
        var bottom = ticksOut + xLabelHeight
        if let label = x.label {
            let extent = try RichText(label).verticalExtent(on: canvas, size: style.axisLabelSize)
            bottom += style.axisLabelPadding + extent.ascent + extent.descent
        }

        // The topmost y label is centred on the top spine and pokes half its height above.
        var top = tickLabelHeight / 2
        if let title {
            let extent = try RichText(title).verticalExtent(on: canvas, size: style.titleSize)
            top = max(top, style.titlePadding + extent.ascent + extent.descent)
        }

        // The last x label is centred on its tick and may overhang the right spine.
        var right = 0.0
        if let last = xMarks.last {
            let halfWidth = try RichText(last.label).width(on: canvas, size: style.tickLabelSize) / 2
            right = max(0, xScale.map(last.value) + halfWidth - plotSize.width)
        }
        if let heatMap, let bar = heatMap.colorBar {
            right = max(right, try bar.requiredWidth(on: canvas, style: style, range: heatMap.resolvedColorRange,
                                                     height: plotSize.height))
        }
        return Insets(top: top, left: left, bottom: bottom, right: right)
    }

    // MARK: Drawing

    /// Draws the panel with its plot area (inside the spines) at `plot`.
    func draw(in plot: Rect, on canvas: Canvas, style: FigureStyle) throws {
        let limits = resolvedLimits()
        let xScale = LinearScale(domain: limits.x, start: plot.x, end: plot.maxX)
        let yScale = LinearScale(domain: limits.y, start: plot.maxY, end: plot.y)
        let xMarks = try xMarks(domain: limits.x, width: plot.width, on: canvas, style: style)
        let yMarks = yMarks(domain: limits.y, height: plot.height)

        try canvas.withClip(plot) {
            if x.grid {
                for mark in xMarks {
                    let px = xScale.map(mark.value)
                    try canvas.line(from: Point(px, plot.y), to: Point(px, plot.maxY), color: style.gridColor, lineWidth: style.gridWidth)
                }
            }
            if y.grid {
                for mark in yMarks {
                    let py = yScale.map(mark.value)
                    try canvas.line(from: Point(plot.x, py), to: Point(plot.maxX, py), color: style.gridColor, lineWidth: style.gridWidth)
                }
            }
            if let heatMap {
                let corner1 = Point(xScale.map(heatMap.xRange.lowerBound), yScale.map(heatMap.yRange.upperBound))
                let corner2 = Point(xScale.map(heatMap.xRange.upperBound), yScale.map(heatMap.yRange.lowerBound))
                try canvas.image(heatMap.canvasColors(), rows: heatMap.rows, columns: heatMap.columns,
                                 in: Rect(x: corner1.x, y: corner1.y, width: corner2.x - corner1.x, height: corner2.y - corner1.y))
            }
            for line in referenceLines {
                switch line.orientation {
                case .vertical:
                    let px = xScale.map(line.value)
                    try canvas.line(from: Point(px, plot.y), to: Point(px, plot.maxY), color: line.color,
                                    lineWidth: line.lineWidth, dash: line.dash)
                case .horizontal:
                    let py = yScale.map(line.value)
                    try canvas.line(from: Point(plot.x, py), to: Point(plot.maxX, py), color: line.color,
                                    lineWidth: line.lineWidth, dash: line.dash)
                }
            }
            // All bands first, so that no band veils another series' line.
            for line in series {
                guard let lower = line.bandLower, let upper = line.bandUpper else { continue }
                for run in line.finiteRuns(includingBand: true) where run.count >= 2 {
                    let top = run.map { Point(xScale.map(line.x[$0]), yScale.map(upper[$0])) }
                    let bottom = run.reversed().map { Point(xScale.map(line.x[$0]), yScale.map(lower[$0])) }
                    try canvas.fillPolygon(top + bottom, line.bandColor ?? line.color.withAlpha(style.bandAlpha))
                }
            }
            for line in series {
                for run in line.finiteRuns() {
                    let points = run.map { Point(xScale.map(line.x[$0]), yScale.map(line.y[$0])) }
                    try canvas.polyline(points, color: line.color, lineWidth: line.lineWidth ?? style.lineWidth, dash: line.dash)
                }
            }
        }

        // Spines and ticks.
        try canvas.line(from: Point(plot.x, plot.maxY), to: Point(plot.maxX, plot.maxY), color: .black, lineWidth: style.spineWidth)
        try canvas.line(from: Point(plot.x, plot.y), to: Point(plot.x, plot.maxY), color: .black, lineWidth: style.spineWidth)
        if closedFrame {
            try canvas.line(from: Point(plot.x, plot.y), to: Point(plot.maxX, plot.y), color: .black, lineWidth: style.spineWidth)
            try canvas.line(from: Point(plot.maxX, plot.y), to: Point(plot.maxX, plot.maxY), color: .black, lineWidth: style.spineWidth)
        }
        let labelGap = style.tickLength + style.tickLabelPadding
        var xLabelBottom = plot.maxY + labelGap
        for mark in xMarks {
            let px = xScale.map(mark.value)
            try canvas.line(from: Point(px, plot.maxY), to: Point(px, plot.maxY + style.tickLength), color: .black, lineWidth: style.tickWidth)
            guard !mark.label.isEmpty else { continue }
            let text = RichText(mark.label)
            let extent = try text.verticalExtent(on: canvas, size: style.tickLabelSize)
            // Baseline placed so that raised exponents (e^{−1}) still clear the tick.
            try text.draw(on: canvas, at: Point(px, plot.maxY + labelGap + extent.ascent), size: style.tickLabelSize,
                          horizontal: .center)
            xLabelBottom = max(xLabelBottom, plot.maxY + labelGap + extent.ascent + extent.descent)
        }
        var yLabelLeft = plot.x - labelGap
        for mark in yMarks {
            let py = yScale.map(mark.value)
            try canvas.line(from: Point(plot.x - style.tickLength, py), to: Point(plot.x, py), color: .black, lineWidth: style.tickWidth)
            guard !mark.label.isEmpty else { continue }
            let text = RichText(mark.label)
            try text.draw(on: canvas, at: Point(plot.x - labelGap, py), size: style.tickLabelSize, horizontal: .right,
                          vertical: .center)
            yLabelLeft = min(yLabelLeft, plot.x - labelGap - (try text.width(on: canvas, size: style.tickLabelSize)))
        }

        // Axis labels and title.
        if let label = x.label {
            let text = RichText(label)
            let extent = try text.verticalExtent(on: canvas, size: style.axisLabelSize)
            try text.draw(on: canvas, at: Point(plot.center.x, xLabelBottom + style.axisLabelPadding + extent.ascent),
                          size: style.axisLabelSize, horizontal: .center)
        }
        if let label = y.label {
            let text = RichText(label)
            let extent = try text.verticalExtent(on: canvas, size: style.axisLabelSize)
            // Rotated a quarter turn: the baseline is a vertical line, descent towards the plot.
            try text.draw(on: canvas, at: Point(yLabelLeft - style.axisLabelPadding - extent.descent, plot.center.y),
                          size: style.axisLabelSize, horizontal: .center, rotationDegrees: 90)
        }
        if let title {
            let text = RichText(title)
            let extent = try text.verticalExtent(on: canvas, size: style.titleSize)
            try text.draw(on: canvas, at: Point(plot.center.x, plot.y - style.titlePadding - extent.descent),
                          size: style.titleSize, horizontal: .center)
        }
        if let heatMap, let bar = heatMap.colorBar {
            try bar.draw(on: canvas, beside: plot, map: heatMap.resolvedColorMap, style: style)
        }
        if let legend {
            try drawLegend(legend, in: plot, xScale: xScale, yScale: yScale, on: canvas, style: style)
        }
    }

    /// Draws the in-panel legend in its corner (for `.best`, the corner whose box covers the
    /// fewest series points, trying upper right, upper left, lower left, lower right).
    private func drawLegend(_ legend: Legend, in plot: Rect, xScale: LinearScale, yScale: LinearScale,
                            on canvas: Canvas, style: FigureStyle) throws {
        let entries = legend.entries ?? legendEntries(style: style)
        guard !entries.isEmpty else { return }
        let size = try LegendLayout.size(entries, columns: 1, on: canvas, style: style)
        let pad = LegendLayout.padding, inset = 5.0
        let boxWidth = size.width + 2 * pad, boxHeight = size.height + 2 * pad
        func box(_ location: Legend.Location) -> Rect {
            let left = location == .upperLeft || location == .lowerLeft
            let upper = location == .upperLeft || location == .upperRight
            return Rect(x: left ? plot.x + inset : plot.maxX - inset - boxWidth,
                        y: upper ? plot.y + inset : plot.maxY - inset - boxHeight, width: boxWidth, height: boxHeight)
        }
        var location = legend.location
        if location == .best {
            let candidates: [Legend.Location] = [.upperRight, .upperLeft, .lowerLeft, .lowerRight]
            // Points every ~2 pt along each drawn piece, so that a straight segment through
            // a corner counts even when none of its data points lies there.
            var points: [Point] = []
            for line in series {
                for run in line.finiteRuns() {
                    let mapped = run.map { Point(xScale.map(line.x[$0]), yScale.map(line.y[$0])) }
                    points.append(mapped[0])
                    for (a, b) in zip(mapped, mapped.dropFirst()) {
                        let steps = min(1000, max(1, Int((hypot(b.x - a.x, b.y - a.y) / 2).rounded(.up))))
                        for k in 1...steps {
                            let t = Double(k) / Double(steps)
                            points.append(Point(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
                        }
                    }
                }
            }
            let covered = candidates.map { candidate in
                let rect = box(candidate)
                return points.filter { $0.x >= rect.x && $0.x <= rect.maxX && $0.y >= rect.y && $0.y <= rect.maxY }.count
            }
            location = candidates[covered.indices.min { covered[$0] < covered[$1] } ?? 0]
        }
        let rect = box(location)
        if legend.framed {
            try canvas.fill(rect, Color.white.withAlpha(0.85))
            try canvas.stroke(rect, Color(hex: 0xCCCCCC), lineWidth: 0.6)
        }
        try LegendLayout.draw(entries, columns: 1, at: Point(rect.x + pad, rect.y + pad), on: canvas, style: style)
    }
}

/// Space around a rectangle, in points.
struct Insets: Equatable {
    var top: Double
    var left: Double
    var bottom: Double
    var right: Double
}
