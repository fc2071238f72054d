import Foundation

/// A figure: a `rows` x `columns` grid of panels (`Axes`) with an optional figure title and
/// shared legend, sized in points and written to PNG, PDF or SVG through `Canvas`.
///
/// Layout: every panel's plot area has the same size; each grid column is as wide as its
/// widest y labels need and each grid row as tall as its titles and x labels need, so
/// spines line up across panels and no label overlaps a neighbour.
///
/// ```swift
/// let figure = Figure(width: 864, height: 288, rows: 1, columns: 2)   // 12 x 4 inches
/// figure[0, 0].show(HeatMap(xRange: -1...1, yRange: -4...4, rows: 256, columns: 256) { x, a in ... })
/// figure[0, 0].x.tickLabels = .exponential(base: "e")
/// figure[0, 1].plot(x: r, y: slice, color: .dpo, label: "A = 1")
/// try figure.write(basePath: "figures/fig5")   // fig5.png, fig5.pdf, fig5.svg
/// ```
public final class Figure {
    /// Width in points (72 per inch).
    public let width: Double
    /// Height in points.
    public let height: Double
    /// Panel rows.
    public let rows: Int
    /// Panel columns.
    public let columns: Int
    /// The panels, row-major `[rows, columns]`.
    public let panels: [Axes]
    /// Figure title (suptitle), centred above the panels; rich text.
    public var title: String?
    /// A legend shared by all panels, in a strip along one edge; nil for none.
    public var legend: FigureLegend?
    /// Fonts, line widths and spacing.
    public var style = FigureStyle()
    /// Page colour; nil leaves PNGs transparent.
    public var background: Color? = .white

    /// PNG resolution used by `write` unless told otherwise: 300 dpi, print quality.
    public static let defaultPixelsPerPoint = 300.0 / 72

    /// A figure of `width` x `height` points with a `rows` x `columns` grid of empty panels.
    public init(width: Double, height: Double, rows: Int = 1, columns: Int = 1) {
        precondition(rows > 0 && columns > 0, "Figure: \(rows) x \(columns) panels")
        self.width = width
        self.height = height
        self.rows = rows
        self.columns = columns
        panels = (0..<(rows * columns)).map { _ in Axes() }
    }

    /// A figure sized in inches, as matplotlib's `figsize`.
    public convenience init(widthInches: Double, heightInches: Double, rows: Int = 1, columns: Int = 1) {
        self.init(width: widthInches * 72, height: heightInches * 72, rows: rows, columns: columns)
    }

    /// The panel in grid row `row` (0 at the top) and column `column` (0 at the left).
    public subscript(row: Int, column: Int) -> Axes {
        precondition((0..<rows).contains(row) && (0..<columns).contains(column),
                     "Figure: no panel (\(row), \(column)) in \(rows) x \(columns)")
        return panels[row * columns + column]
    }

    /// The shared legend's entries: its own, or every panel's labelled series, each label once.
    public func sharedLegendEntries() -> [LegendEntry] {
        guard let legend else { return [] }
        if let entries = legend.entries { return entries }
        var seen = Set<String>()
        return panels.flatMap { $0.legendEntries(style: style) }.filter { seen.insert($0.label).inserted }
    }

    // MARK: Layout

    /// Where everything goes on a canvas of the figure's size.
    private struct Layout {
        var plots: [Rect]
        var legendOrigin: Point?
        var legendColumns = 1
    }

    /// The plot area (inside the spines) of each panel, row-major, in points.
    public func plotAreas() throws -> [Rect] {
        try layout(on: Canvas(width: width, height: height, background: nil)).plots
    }

    private func layout(on canvas: Canvas) throws -> Layout {
        let margin = style.outerMargin
        var grid = Rect(x: margin, y: margin, width: width - 2 * margin, height: height - 2 * margin)
        if let title {
            let extent = try RichText(title).verticalExtent(on: canvas, size: try titleSize(title, on: canvas))
            let used = extent.ascent + extent.descent + 6
            grid.y += used
            grid.height -= used
        }
        var result = Layout(plots: [])
        let entries = sharedLegendEntries()
        if let legend, !entries.isEmpty {
            let gap = 6.0
            switch legend.position {
            case .top, .bottom:
                let columns = try LegendLayout.columnsFitting(entries, width: grid.width, on: canvas, style: style)
                let size = try LegendLayout.size(entries, columns: columns, on: canvas, style: style)
                result.legendColumns = columns
                let x = margin + (grid.width - size.width) / 2
                if legend.position == .top {
                    result.legendOrigin = Point(x, grid.y)
                    grid.y += size.height + gap
                } else {
                    result.legendOrigin = Point(x, grid.maxY - size.height)
                }
                grid.height -= size.height + gap
            case .right:
                let size = try LegendLayout.size(entries, columns: 1, on: canvas, style: style)
                result.legendOrigin = Point(grid.maxX - size.width, grid.y + (grid.height - size.height) / 2)
                grid.width -= size.width + gap
            }
        }

        // Two passes: ticks (hence label widths) depend on the plot size, which depends on them.
        var plotSize = (width: grid.width / Double(columns) * 0.75, height: grid.height / Double(rows) * 0.7)
        var left = [Double](), right = [Double](), top = [Double](), bottom = [Double]()
        for _ in 0..<2 {
            let insets = try panels.map { try $0.insets(plotSize: plotSize, on: canvas, style: style) }
            func extreme(_ key: KeyPath<Insets, Double>, over indices: [Int]) -> Double {
                indices.map { insets[$0][keyPath: key] }.max() ?? 0
            }
            left = (0..<columns).map { c in extreme(\.left, over: (0..<rows).map { $0 * columns + c }) }
            right = (0..<columns).map { c in extreme(\.right, over: (0..<rows).map { $0 * columns + c }) }
            top = (0..<rows).map { r in extreme(\.top, over: (0..<columns).map { r * columns + $0 }) }
            bottom = (0..<rows).map { r in extreme(\.bottom, over: (0..<columns).map { r * columns + $0 }) }
            let spacingX = Double(columns - 1) * style.panelSpacing
            let spacingY = Double(rows - 1) * style.panelSpacing
            plotSize = ((grid.width - left.reduce(0, +) - right.reduce(0, +) - spacingX) / Double(columns),
                        (grid.height - top.reduce(0, +) - bottom.reduce(0, +) - spacingY) / Double(rows))
        }
        guard plotSize.width >= 10, plotSize.height >= 10 else {
            throw PlottingError(.invalidArgument, message: "figure of \(width) x \(height) points is too small for its "
                                + "\(rows) x \(columns) panels and their labels (plot areas would be "
                                + "\(Int(plotSize.width)) x \(Int(plotSize.height)) points)")
        }
        var y = grid.y
        for r in 0..<rows {
            var x = grid.x
            y += top[r]
            for c in 0..<columns {
                x += left[c]
                result.plots.append(Rect(x: x, y: y, width: plotSize.width, height: plotSize.height))
                x += plotSize.width + right[c] + style.panelSpacing
            }
            y += plotSize.height + bottom[r] + style.panelSpacing
        }
        return result
    }

    // MARK: Output

    /// The title's font size: the style's, or smaller when the title would not fit between
    /// the outer margins (a long title over a single narrow panel).
    private func titleSize(_ title: String, on canvas: Canvas) throws -> Double {
        let natural = try RichText(title).width(on: canvas, size: style.figureTitleSize)
        let available = width - 2 * style.outerMargin
        return natural <= available ? style.figureTitleSize : style.figureTitleSize * available / natural
    }

    /// Draws the figure on a new canvas of its size.
    public func render() throws -> Canvas {
        let canvas = try Canvas(width: width, height: height, background: background)
        let layout = try layout(on: canvas)
        if let title {
            let text = RichText(title)
            let size = try titleSize(title, on: canvas)
            let extent = try text.verticalExtent(on: canvas, size: size)
            try text.draw(on: canvas, at: Point(width / 2, style.outerMargin + extent.ascent), size: size, horizontal: .center)
        }
        for (panel, plot) in zip(panels, layout.plots) {
            try panel.draw(in: plot, on: canvas, style: style)
        }
        if let origin = layout.legendOrigin {
            try LegendLayout.draw(sharedLegendEntries(), columns: layout.legendColumns, at: origin, on: canvas, style: style)
        }
        return canvas
    }

    /// Renders and writes the figure to `url` (.png, .pdf or .svg by extension; see
    /// `Canvas.write`). PNGs default to 300 dpi.
    public func write(to url: URL, pixelsPerPoint: Double = Figure.defaultPixelsPerPoint) throws {
        try render().write(to: url, pixelsPerPoint: pixelsPerPoint)
    }

    /// Renders once and writes `basePath` + ".png", ".pdf" and ".svg"; returns their URLs.
    @discardableResult
    public func write(basePath: String, pixelsPerPoint: Double = Figure.defaultPixelsPerPoint) throws -> [URL] {
        let canvas = try render()
        let urls = ["png", "pdf", "svg"].map { URL(fileURLWithPath: basePath + "." + $0) }
        for url in urls { try canvas.write(to: url, pixelsPerPoint: pixelsPerPoint) }
        return urls
    }
}
