/// Font sizes, line widths and spacing shared by every panel of a `Figure`, in points.
///
/// The defaults suit a figure printed at its natural size (for example 864 x 288 pt,
/// 12 x 4 inches): 9 pt tick labels and legends, 10 pt axis labels, 11 pt panel titles
/// and a 12 pt figure title, as in matplotlib's "paper" context.
public struct FigureStyle: Sendable, Equatable {
    /// Tick label size.
    public var tickLabelSize = 9.0
    /// Axis label size.
    public var axisLabelSize = 10.0
    /// Panel title size.
    public var titleSize = 11.0
    /// Figure title (suptitle) size.
    public var figureTitleSize = 12.0
    /// Legend text size.
    public var legendSize = 9.0
    /// Spine (plot frame) width.
    public var spineWidth = 0.8
    /// Tick length, drawn outwards from the spines.
    public var tickLength = 3.5
    /// Tick line width.
    public var tickWidth = 0.8
    /// Gap between a tick and its label.
    public var tickLabelPadding = 2.5
    /// Gap between tick labels and the axis label.
    public var axisLabelPadding = 3.0
    /// Gap between the plot area and the panel title.
    public var titlePadding = 5.0
    /// Empty border around the whole figure.
    public var outerMargin = 6.0
    /// Extra space between neighbouring panels, beyond their labels.
    public var panelSpacing = 14.0
    /// Colour of grid lines.
    public var gridColor = Color(hex: 0xE5E5E5)
    /// Width of grid lines.
    public var gridWidth = 0.6
    /// Colour bar width.
    public var colorBarWidth = 9.0
    /// Gap between a heat map and its colour bar.
    public var colorBarPadding = 8.0
    /// Default width of series lines.
    public var lineWidth = 1.5
    /// Opacity of error bands drawn under lines.
    public var bandAlpha = 0.22

    /// The default style.
    public init() {}
}
