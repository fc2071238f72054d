import Foundation

/// A grid of values drawn as coloured cells over a rectangle of data space, like the
/// paper's maps of the drift's derivative dObj/dr over (log r, A) (Figures 1-3, 5, 9).
///
/// Layout convention: `values` is row-major `[rows, columns]`; **row 0 is the lowest y**
/// (drawn at the bottom, as in matplotlib's `imshow(origin="lower")`) and column 0 the
/// lowest x. The cells tile `xRange` x `yRange` exactly: cell (i, j) covers
/// x in [x0 + j dx, x0 + (j + 1) dx] and y in [y0 + i dy, y0 + (i + 1) dy].
///
/// Colours: by default the diverging map symmetric about zero, from -limit (blue) to
/// +limit (red) with limit = max |value| (white is exactly zero); NaN cells get the
/// map's `nanColor` (light grey).
public struct HeatMap: Sendable {
    /// Row-major `[rows, columns]` values, row 0 at the lowest y.
    public var values: [Double]
    /// Number of rows (cells along y).
    public let rows: Int
    /// Number of columns (cells along x).
    public let columns: Int
    /// The x interval the columns tile.
    public var xRange: ClosedRange<Double>
    /// The y interval the rows tile.
    public var yRange: ClosedRange<Double>
    /// The colour map; its stops are stretched over `colorRange`.
    public var colorMap: ColorMap
    /// Explicit value range for the colours; nil derives it (see `resolvedColorRange`).
    public var colorRange: ClosedRange<Double>?
    /// With no `colorRange`: true centres the colours on zero (±max |value|), false
    /// spans [min, max] of the finite values.
    public var symmetric: Bool
    /// The colour bar drawn right of the panel; nil for none.
    public var colorBar: ColorBar?

    /// A heat map of `values` (`[rows, columns]`, row 0 at the lowest y) over the given
    /// ranges. `limit`, when given, fixes the symmetric colour range to [-limit, limit].
    public init(values: [Double], rows: Int, columns: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                colorMap: ColorMap = .diverging, limit: Double? = nil, symmetric: Bool = true,
                colorBar: ColorBar? = ColorBar()) {
        precondition(rows > 0 && columns > 0 && values.count == rows * columns,
                     "HeatMap: \(values.count) values do not fill \(rows) x \(columns) cells")
        self.values = values
        self.rows = rows
        self.columns = columns
        self.xRange = xRange
        self.yRange = yRange
        self.colorMap = colorMap
        self.symmetric = symmetric
        self.colorBar = colorBar
        if let limit, limit.isFinite, limit > 0 { colorRange = -limit...limit }
    }

    /// A heat map of `function(x, y)` sampled at the centres of `rows` x `columns` cells
    /// tiling `xRange` x `yRange` (row 0 at the lowest y).
    public init(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, rows: Int, columns: Int,
                colorMap: ColorMap = .diverging, limit: Double? = nil, colorBar: ColorBar? = ColorBar(),
                function: (_ x: Double, _ y: Double) -> Double) {
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(columns)
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(rows)
        var values = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            let y = yRange.lowerBound + (Double(row) + 0.5) * dy
            for column in 0..<columns {
                values[row * columns + column] = function(xRange.lowerBound + (Double(column) + 0.5) * dx, y)
            }
        }
        self.init(values: values, rows: rows, columns: columns, xRange: xRange, yRange: yRange,
                  colorMap: colorMap, limit: limit, colorBar: colorBar)
    }

    /// The value range the colour map spans: `colorRange` if set; else ±max |finite value|
    /// (symmetric) or [min, max]; a grid with no spread (all zero, all NaN) gets ±1 or a
    /// small interval around its constant so that zero still reads white.
    public var resolvedColorRange: ClosedRange<Double> {
        if let colorRange { return LinearScale.usableDomain(colorRange) }
        let finite = values.filter(\.isFinite)
        if symmetric {
            let limit = finite.map(abs).max() ?? 0
            return limit > 0 ? -limit...limit : -1...1
        }
        guard let low = finite.min(), let high = finite.max() else { return 0...1 }
        return LinearScale.usableDomain(low...high)
    }

    /// The colour map stretched over `resolvedColorRange`.
    public var resolvedColorMap: ColorMap { colorMap.over(resolvedColorRange) }

    /// The cell colours in canvas order (`[rows, columns]`, first row at the top, i.e.
    /// data row `rows - 1`), ready for `Canvas.image`.
    public func canvasColors() -> [Color] {
        let map = resolvedColorMap
        var colors: [Color] = []
        colors.reserveCapacity(values.count)
        for canvasRow in 0..<rows {
            let row = rows - 1 - canvasRow
            for column in 0..<columns { colors.append(map.color(at: values[row * columns + column])) }
        }
        return colors
    }
}
