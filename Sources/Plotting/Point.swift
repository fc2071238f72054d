/// A point on a canvas, in points (1/72 inch) from the top-left corner, y downwards.
public struct Point: Equatable, Sendable {
    /// Distance from the left edge.
    public var x: Double
    /// Distance from the top edge.
    public var y: Double

    /// A point at (`x`, `y`).
    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}
