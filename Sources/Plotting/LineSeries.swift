/// A line through points (x, y), optionally with a shaded band such as mean ± standard
/// error across seeds (the paper's Figures 4, 6 and 7 draw 10-seed means with
/// standard-error bands).
///
/// Non-finite values (NaN, ±∞) in `x`, `y` or the band break the line and the band there,
/// instead of drawing a spurious drop to zero: an unfinished run leaves a gap.
public struct LineSeries: Sendable {
    /// x values, `[points]`.
    public var x: [Double]
    /// y values, `[points]`.
    public var y: [Double]
    /// Line colour (the band uses it with `FigureStyle.bandAlpha` unless `bandColor` is set).
    public var color: Color
    /// Legend label; nil keeps the series out of legends.
    public var label: String?
    /// Line width in points; nil uses `FigureStyle.lineWidth`.
    public var lineWidth: Double?
    /// Dash pattern (on, off lengths in points); empty for solid.
    public var dash: [Double]
    /// The band's lower edge, `[points]`, or nil for no band.
    public var bandLower: [Double]?
    /// The band's upper edge, `[points]`, or nil for no band.
    public var bandUpper: [Double]?
    /// The band's fill; nil uses `color` at `FigureStyle.bandAlpha`.
    public var bandColor: Color?

    /// A series through (x[i], y[i]); `error`, when given, shades y ± error.
    public init(x: [Double], y: [Double], color: Color, label: String? = nil, lineWidth: Double? = nil,
                dash: [Double] = [], error: [Double]? = nil) {
        precondition(x.count == y.count, "LineSeries: \(x.count) x values but \(y.count) y values")
        self.x = x
        self.y = y
        self.color = color
        self.label = label
        self.lineWidth = lineWidth
        self.dash = dash
        if let error {
            precondition(error.count == y.count, "LineSeries: \(error.count) error values for \(y.count) points")
            bandLower = zip(y, error).map { $0 - $1 }
            bandUpper = zip(y, error).map { $0 + $1 }
        }
    }

    /// A series with an explicit band from `lower` to `upper` (for example quantiles).
    public init(x: [Double], y: [Double], color: Color, label: String? = nil, lineWidth: Double? = nil,
                dash: [Double] = [], bandLower lower: [Double], bandUpper upper: [Double]) {
        precondition(lower.count == y.count && upper.count == y.count, "LineSeries: band edges must have \(y.count) values")
        self.init(x: x, y: y, color: color, label: label, lineWidth: lineWidth, dash: dash)
        bandLower = lower
        bandUpper = upper
    }

    /// Index ranges of consecutive points whose coordinates (and band edges, when
    /// `includingBand`) are all finite: the pieces drawn between gaps.
    public func finiteRuns(includingBand: Bool = false) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start: Int?
        for i in 0...x.count {
            var finite = i < x.count && x[i].isFinite && y[i].isFinite
            if finite && includingBand, let lower = bandLower, let upper = bandUpper {
                finite = lower[i].isFinite && upper[i].isFinite
            }
            if finite, start == nil { start = i }
            if !finite, let s = start {
                runs.append(s..<i)
                start = nil
            }
        }
        return runs
    }

    /// The finite data range over x, and over y including the band.
    var dataBounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)? {
        var xs: [Double] = [], ys: [Double] = []
        for i in x.indices where x[i].isFinite {
            xs.append(x[i])
            if y[i].isFinite { ys.append(y[i]) }
            if let lower = bandLower?[i], lower.isFinite { ys.append(lower) }
            if let upper = bandUpper?[i], upper.isFinite { ys.append(upper) }
        }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min(), let yMax = ys.max() else { return nil }
        return (xMin...xMax, yMin...yMax)
    }
}
