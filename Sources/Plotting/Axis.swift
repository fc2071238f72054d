/// The settings of one axis of a panel: label, limits, ticks, grid.
///
/// ```swift
/// panel.x.label = "r"
/// panel.x.tickLabels = .exponential(base: "e")   // log-ratio axis as in the paper
/// panel.y.limits = -4...4
/// ```
public struct Axis: Sendable {
    /// The axis label (rich text, see `RichText`); a y label is drawn rotated to read
    /// bottom to top.
    public var label: String?
    /// The data interval shown; nil chooses it from the panel's content (heat map extent,
    /// else the data's range, exact along x and padded by 5 % along y).
    public var limits: ClosedRange<Double>?
    /// How ticks are placed and labelled.
    public var tickLabels: TickLabels = .automatic
    /// About how many ticks to draw; nil derives it from the axis length (one per ~55 pt
    /// horizontally, ~30 pt vertically), reduced until labels do not collide.
    public var tickCount: Int?
    /// Draws grid lines at the ticks, under the data.
    public var grid = false

    /// An axis with default settings and an optional label.
    public init(label: String? = nil) {
        self.label = label
    }
}
