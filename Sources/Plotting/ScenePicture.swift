/// A picture of a physics scene already flattened by a camera: filled outlines in view-plane
/// metres (x right, y up, the camera's focus at the centre), drawn in the given order
/// (farthest first) with a thin darker edge, under a title.
public struct ScenePicture: Sendable {
    /// One filled outline.
    public struct Outline: Sendable {
        /// Corners in metres, view-plane coordinates (y up).
        public var points: [(x: Double, y: Double)]
        public var color: Color

        public init(points: [(x: Double, y: Double)], color: Color) {
            self.points = points
            self.color = color
        }
    }

    public var outlines: [Outline]
    /// Half the visible width in metres.
    public var halfExtent: Double
    public var title: String
    /// Picture width in points (the height is 3/4 of it).
    public var width: Double = 640

    public init(outlines: [Outline], halfExtent: Double, title: String) {
        self.outlines = outlines
        self.halfExtent = halfExtent
        self.title = title
    }

    /// Draws the picture on a new canvas: a sky-grey background, the outlines, the title.
    public func render() throws -> Canvas {
        let titleHeight = 30.0
        let height = width * 0.75
        let canvas = try Canvas(width: width, height: height + titleHeight)
        try canvas.fill(Rect(x: 0, y: titleHeight, width: width, height: height), Color(hex: 0xEEF2F6))
        let scale = width / (2 * halfExtent)
        func place(_ p: (x: Double, y: Double)) -> Point {
            Point(width / 2 + p.x * scale, titleHeight + height / 2 - p.y * scale)
        }
        try canvas.withClip(Rect(x: 0, y: titleHeight, width: width, height: height)) {
            for outline in outlines {
                let points = outline.points.map(place)
                try canvas.fillPolygon(points, outline.color)
                let edge = Color(red: outline.color.red * 0.6, green: outline.color.green * 0.6,
                                 blue: outline.color.blue * 0.6, alpha: outline.color.alpha)
                try canvas.polyline(points + points.prefix(1), color: edge, lineWidth: 0.6)
            }
        }
        try canvas.text(title, at: Point(12, titleHeight / 2), size: 13, horizontal: .left, vertical: .center, bold: true)
        return canvas
    }
}
