import Foundation

/// A picture of a binary multi-channel grid observation (MinAtar's `[10, 10, C]`): one colour
/// per channel, cells with several active channels split into vertical stripes, a legend of
/// the channel names beside the grid and a title above.
public struct ChannelGridPicture: Sendable {
    /// `cells[y][x]` lists the active channels of the cell in row y (top first), column x.
    public var cells: [[[Int]]]
    /// Channel names in channel order.
    public var channelNames: [String]
    /// The title drawn above the grid.
    public var title: String
    /// Side of one cell in points.
    public var cellSize: Double = 32

    /// A picture of `cells` (`[rows][columns]` lists of active channels) with `channelNames` and `title`.
    public init(cells: [[[Int]]], channelNames: [String], title: String) {
        self.cells = cells
        self.channelNames = channelNames
        self.title = title
    }

    /// Distinct colours for up to 20 channels (tab10, then its lighter partners).
    public static func channelColor(_ channel: Int) -> Color {
        let light: [UInt32] = [0xAEC7E8, 0xFFBB78, 0x98DF8A, 0xFF9896, 0xC5B0D5,
                               0xC49C94, 0xF7B6D2, 0xC7C7C7, 0xDBDB8D, 0x9EDAE5]
        let palette = Color.tab10 + light.map { Color(hex: $0) }
        return palette[channel % palette.count]
    }

    /// Draws the picture on a new canvas sized to fit it.
    public func render() throws -> Canvas {
        let rows = cells.count, cols = cells.first?.count ?? 0
        let margin = 16.0, titleHeight = 28.0, legendWidth = 180.0
        let gridWidth = Double(cols) * cellSize, gridHeight = Double(rows) * cellSize
        let legendHeight = Double(channelNames.count) * 20
        let canvas = try Canvas(width: margin * 3 + gridWidth + legendWidth,
                                height: margin * 2 + titleHeight + max(gridHeight, legendHeight))
        try canvas.text(title, at: Point(margin, margin + 10), size: 14, horizontal: .left, vertical: .center, bold: true)
        let top = margin + titleHeight
        try canvas.fill(Rect(x: margin, y: top, width: gridWidth, height: gridHeight), Color(hex: 0x1E1E1E))
        for y in 0..<rows {
            for x in 0..<cols {
                let active = cells[y][x]
                guard !active.isEmpty else { continue }
                let stripe = cellSize / Double(active.count)
                for (k, channel) in active.enumerated() {
                    try canvas.fill(Rect(x: margin + Double(x) * cellSize + Double(k) * stripe, y: top + Double(y) * cellSize,
                                         width: stripe, height: cellSize), Self.channelColor(channel))
                }
            }
        }
        // Grid lines make single cells countable.
        for i in 0...rows {
            let yy = top + Double(i) * cellSize
            try canvas.line(from: Point(margin, yy), to: Point(margin + gridWidth, yy), color: Color(hex: 0x444444), lineWidth: 0.5)
        }
        for j in 0...cols {
            let xx = margin + Double(j) * cellSize
            try canvas.line(from: Point(xx, top), to: Point(xx, top + gridHeight), color: Color(hex: 0x444444), lineWidth: 0.5)
        }
        let legendX = margin * 2 + gridWidth
        for (channel, name) in channelNames.enumerated() {
            let y = top + Double(channel) * 20
            try canvas.fill(Rect(x: legendX, y: y + 3, width: 14, height: 14), Self.channelColor(channel))
            try canvas.text("\(channel) \(name)", at: Point(legendX + 20, y + 10), size: 11, horizontal: .left, vertical: .center)
        }
        return canvas
    }
}
