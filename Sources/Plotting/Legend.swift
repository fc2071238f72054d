import Foundation

/// One legend row: a small sample of how a series is drawn, and its label.
public struct LegendEntry: Sendable {
    /// What the sample shows.
    public enum Kind: Sendable {
        /// A line segment (width in points, dash pattern).
        case line(width: Double, dash: [Double])
        /// A line segment over a shaded patch in `band`, for series with error bands.
        case lineWithBand(width: Double, dash: [Double], band: Color)
        /// A filled square, for areas and heat-map categories.
        case patch
    }

    /// The label (rich text).
    public var label: String
    /// The sample's colour.
    public var color: Color
    /// The sample's shape.
    public var kind: Kind

    /// An entry; a 1.5 pt solid line by default.
    public init(label: String, color: Color, kind: Kind = .line(width: 1.5, dash: [])) {
        self.label = label
        self.color = color
        self.kind = kind
    }

    /// The entry for `series` (nil when it has no label), drawn as in `style`.
    public init?(series: LineSeries, style: FigureStyle) {
        guard let label = series.label else { return nil }
        let width = series.lineWidth ?? style.lineWidth
        if series.bandLower != nil {
            self.init(label: label, color: series.color,
                      kind: .lineWithBand(width: width, dash: series.dash,
                                          band: series.bandColor ?? series.color.withAlpha(style.bandAlpha)))
        } else {
            self.init(label: label, color: series.color, kind: .line(width: width, dash: series.dash))
        }
    }
}

/// A legend inside a panel, in one of its corners.
public struct Legend: Sendable {
    /// Where inside the panel the legend sits.
    public enum Location: Sendable, Equatable {
        /// Top left corner.
        case upperLeft
        /// Top right corner.
        case upperRight
        /// Bottom left corner.
        case lowerLeft
        /// Bottom right corner.
        case lowerRight
        /// The corner covering the fewest data points.
        case best
    }

    /// The corner.
    public var location: Location
    /// The rows; nil lists the panel's labelled series in drawing order.
    public var entries: [LegendEntry]?
    /// Draws a white, lightly outlined box behind the entries.
    public var framed: Bool

    /// A legend at `location`.
    public init(_ location: Location = .best, entries: [LegendEntry]? = nil, framed: Bool = true) {
        self.location = location
        self.entries = entries
        self.framed = framed
    }
}

/// A figure-level legend in a strip along one edge of the figure, shared by all panels
/// (the paper's multi-task return figures show one legend for all environments).
public struct FigureLegend: Sendable {
    /// Which edge the strip runs along.
    public enum Position: Sendable, Equatable {
        /// Above the panels (below the figure title), entries in a row.
        case top
        /// Below the panels, entries in a row.
        case bottom
        /// Right of the panels, entries in a column.
        case right
    }

    /// The edge.
    public var position: Position
    /// The rows; nil collects every panel's labelled series, each label once, in order.
    public var entries: [LegendEntry]?

    /// A shared legend along `position`.
    public init(_ position: Position = .bottom, entries: [LegendEntry]? = nil) {
        self.position = position
        self.entries = entries
    }
}

/// Measuring and drawing blocks of legend entries (shared by `Legend` and `FigureLegend`).
enum LegendLayout {
    /// Width of the line or patch sample.
    static let handleLength = 20.0
    /// Gap between sample and label.
    static let handleGap = 5.0
    /// Gap between columns of entries.
    static let columnGap = 14.0
    /// Padding inside a legend frame.
    static let padding = 4.0

    /// Height of one row of entries.
    static func rowHeight(on canvas: Canvas, style: FigureStyle) throws -> Double {
        let metrics = try canvas.fontMetrics(size: style.legendSize)
        return (metrics.ascent + metrics.descent) * 1.15
    }

    /// The width of each entry (sample, gap, label).
    static func entryWidths(_ entries: [LegendEntry], on canvas: Canvas, style: FigureStyle) throws -> [Double] {
        try entries.map { handleLength + handleGap + (try RichText($0.label).width(on: canvas, size: style.legendSize)) }
    }

    /// The size of `entries` laid out in `columns` columns (filled row by row).
    static func size(_ entries: [LegendEntry], columns: Int, on canvas: Canvas, style: FigureStyle) throws -> (width: Double, height: Double) {
        let widths = try entryWidths(entries, on: canvas, style: style)
        let columns = max(1, min(columns, entries.count))
        let rows = (entries.count + columns - 1) / columns
        let columnWidths = (0..<columns).map { c in stride(from: c, to: entries.count, by: columns).map { widths[$0] }.max() ?? 0 }
        let width = columnWidths.reduce(0, +) + Double(columns - 1) * columnGap
        return (width, Double(rows) * (try rowHeight(on: canvas, style: style)))
    }

    /// The most columns (up to one row of all entries) whose layout fits in `width`.
    static func columnsFitting(_ entries: [LegendEntry], width: Double, on canvas: Canvas, style: FigureStyle) throws -> Int {
        var columns = max(1, entries.count)
        while columns > 1, try size(entries, columns: columns, on: canvas, style: style).width > width { columns -= 1 }
        return columns
    }

    /// Draws `entries` in `columns` columns with the block's top-left corner at `origin`.
    static func draw(_ entries: [LegendEntry], columns: Int, at origin: Point, on canvas: Canvas, style: FigureStyle) throws {
        let widths = try entryWidths(entries, on: canvas, style: style)
        let columns = max(1, min(columns, entries.count))
        let columnWidths = (0..<columns).map { c in stride(from: c, to: entries.count, by: columns).map { widths[$0] }.max() ?? 0 }
        let rowHeight = try rowHeight(on: canvas, style: style)
        for (index, entry) in entries.enumerated() {
            let column = index % columns, row = index / columns
            let x = origin.x + columnWidths[..<column].reduce(0, +) + Double(column) * columnGap
            let y = origin.y + (Double(row) + 0.5) * rowHeight
            let start = Point(x, y), end = Point(x + handleLength, y)
            switch entry.kind {
            case .line(let width, let dash):
                try canvas.line(from: start, to: end, color: entry.color, lineWidth: width, dash: dash)
            case .lineWithBand(let width, let dash, let band):
                try canvas.fill(Rect(x: x, y: y - rowHeight * 0.3, width: handleLength, height: rowHeight * 0.6), band)
                try canvas.line(from: start, to: end, color: entry.color, lineWidth: width, dash: dash)
            case .patch:
                let side = rowHeight * 0.6
                try canvas.fill(Rect(x: x + (handleLength - side) / 2, y: y - side / 2, width: side, height: side), entry.color)
            }
            try RichText(entry.label).draw(on: canvas, at: Point(x + handleLength + handleGap, y), size: style.legendSize,
                                           vertical: .center)
        }
    }
}
