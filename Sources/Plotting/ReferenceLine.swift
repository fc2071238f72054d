/// A straight line across a panel at a fixed data value, such as the dashed r = 1 (or
/// log r = 0) line in the paper's drift slices, or y = 0.
public struct ReferenceLine: Sendable {
    /// Which way the line runs.
    public enum Orientation: Sendable, Equatable {
        /// A vertical line at x = value.
        case vertical
        /// A horizontal line at y = value.
        case horizontal
    }

    /// Vertical or horizontal.
    public var orientation: Orientation
    /// Where it crosses the other axis, in data units.
    public var value: Double
    /// Line colour.
    public var color: Color
    /// Line width in points.
    public var lineWidth: Double
    /// Dash pattern (on, off lengths in points); empty for solid.
    public var dash: [Double]

    /// A line, dashed grey by default.
    public init(_ orientation: Orientation, at value: Double, color: Color = .gray, lineWidth: Double = 0.8,
                dash: [Double] = [4, 3]) {
        self.orientation = orientation
        self.value = value
        self.color = color
        self.lineWidth = lineWidth
        self.dash = dash
    }
}
