import CCairo

/// A PNG file's pixels, read through Cairo; lets tests and tools check what a figure
/// actually shows, not only that a file exists.
public struct PNGImage: Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Row-major `[height, width]` pixels as Cairo's premultiplied 0xAARRGGBB.
    private let pixels: [UInt32]

    /// Reads the PNG file at `path`.
    /// - Throws: `PlottingError` naming the file when it is missing or not a PNG.
    public init(contentsOf path: String) throws {
        let surface = cairo_image_surface_create_from_png(path)!
        defer { cairo_surface_destroy(surface) }
        try CairoStatus.check(surface: surface, "cairo_image_surface_create_from_png", file: path)
        let format = cairo_image_surface_get_format(surface)
        guard format == CAIRO_FORMAT_ARGB32 || format == CAIRO_FORMAT_RGB24 else {
            throw PlottingError(.invalidArgument, file: path,
                                message: "cannot read '\(path)': unsupported pixel format \(format.rawValue)")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let opaque: UInt32 = format == CAIRO_FORMAT_RGB24 ? 0xFF00_0000 : 0
        var pixels = [UInt32](repeating: 0, count: width * height)
        if let data = cairo_image_surface_get_data(surface) {
            data.withMemoryRebound(to: UInt32.self, capacity: stride * height) { source in
                for row in 0..<height {
                    for column in 0..<width { pixels[row * width + column] = source[row * stride + column] | opaque }
                }
            }
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The colour (straight alpha, 8-bit precision) of pixel (`x`, `y`), origin top-left.
    public func pixel(x: Int, y: Int) -> Color {
        precondition((0..<width).contains(x) && (0..<height).contains(y), "pixel (\(x), \(y)) outside \(width) x \(height)")
        let value = pixels[y * width + x]
        let alpha = Double(value >> 24) / 255
        guard alpha > 0 else { return Color(red: 0, green: 0, blue: 0, alpha: 0) }
        func channel(_ shift: UInt32) -> Double { min(1, Double((value >> shift) & 0xFF) / 255 / alpha) }
        return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: alpha)
    }

    /// Cairo's premultiplied ARGB32 word for `color`.
    static func premultipliedARGB(_ color: Color) -> UInt32 {
        func byte(_ value: Double) -> UInt32 { UInt32((min(max(value, 0), 1) * 255).rounded()) }
        let alpha = min(max(color.alpha, 0), 1)
        return byte(alpha) << 24 | byte(color.red * alpha) << 16 | byte(color.green * alpha) << 8 | byte(color.blue * alpha)
    }
}
