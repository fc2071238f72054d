import CCairo
import Foundation

/// A drawing surface measured in points (1/72 inch), y downwards, written to PNG, PDF or
/// SVG by `write(to:pixelsPerPoint:)`.
///
/// Drawing is recorded on a Cairo recording surface and replayed onto the output surface
/// when writing, so one canvas can be written in all three formats and vector output stays
/// vector (lines and text are not rasterised in PDF and SVG). Text uses DejaVu Sans.
/// Every call checks Cairo's status and throws `PlottingError` on failure.
///
/// ```swift
/// let canvas = try Canvas(width: 240, height: 160)
/// try canvas.polyline(points, color: .lpo, lineWidth: 1.5)
/// try canvas.text("r", at: Point(120, 150), size: 9, horizontal: .center)
/// try canvas.write(to: URL(fileURLWithPath: "figures/fig4.pdf"))
/// ```
public final class Canvas {
    /// Width in points.
    public let width: Double
    /// Height in points.
    public let height: Double
    /// The font family used for all text.
    public static let fontFamily = "DejaVu Sans"

    private let surface: OpaquePointer
    private let context: OpaquePointer

    /// A canvas of `width` x `height` points filled with `background` (nil leaves it
    /// transparent).
    public init(width: Double, height: Double, background: Color? = .white) throws {
        guard width.isFinite, height.isFinite, width > 0, height > 0 else {
            throw PlottingError(.invalidArgument, message: "canvas size \(width) x \(height) points must be positive and finite")
        }
        self.width = width
        self.height = height
        var extents = cairo_rectangle_t(x: 0, y: 0, width: width, height: height)
        let surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents)!
        let context = cairo_create(surface)!
        self.surface = surface
        self.context = context
        try CairoStatus.check(surface: surface, "cairo_recording_surface_create")
        try CairoStatus.check(context: context, "cairo_create")
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_select_font_face(context, Canvas.fontFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        try CairoStatus.check(context: context, "cairo_select_font_face")
        if let background { try fill(Rect(x: 0, y: 0, width: width, height: height), background) }
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    // MARK: Shapes

    /// Fills `rect` with `color`.
    public func fill(_ rect: Rect, _ color: Color) throws {
        setColor(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
        try CairoStatus.check(context: context, "cairo_fill")
    }

    /// Strokes the outline of `rect`.
    public func stroke(_ rect: Rect, _ color: Color, lineWidth: Double = 1) throws {
        setColor(color)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        try strokePath(lineWidth: lineWidth, dash: [])
    }

    /// A straight line from `start` to `end`; `dash` gives on/off lengths in points.
    public func line(from start: Point, to end: Point, color: Color, lineWidth: Double = 1,
                     dash: [Double] = []) throws {
        try polyline([start, end], color: color, lineWidth: lineWidth, dash: dash)
    }

    /// Connected line segments through `points` (nothing for fewer than two points).
    public func polyline(_ points: [Point], color: Color, lineWidth: Double = 1, dash: [Double] = []) throws {
        guard points.count >= 2 else { return }
        setColor(color)
        tracePath(points)
        try strokePath(lineWidth: lineWidth, dash: dash)
    }

    /// Fills the closed polygon through `points` (for error bands and legend swatches).
    public func fillPolygon(_ points: [Point], _ color: Color) throws {
        guard points.count >= 3 else { return }
        setColor(color)
        tracePath(points)
        cairo_close_path(context)
        cairo_fill(context)
        try CairoStatus.check(context: context, "cairo_fill")
    }

    /// Fills a circle (scatter markers).
    public func fillCircle(center: Point, radius: Double, _ color: Color) throws {
        setColor(color)
        cairo_new_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        cairo_fill(context)
        try CairoStatus.check(context: context, "cairo_fill")
    }

    /// Strokes a circle's outline.
    public func strokeCircle(center: Point, radius: Double, _ color: Color, lineWidth: Double = 1) throws {
        setColor(color)
        cairo_new_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        try strokePath(lineWidth: lineWidth, dash: [])
    }

    /// Draws a grid of colours (a heat map) stretched over `rect`, one cell per colour:
    /// `colors` is row-major `[rows, columns]`, row 0 at the top. Cells are drawn as sharp
    /// squares (nearest-neighbour), never blurred between cells.
    public func image(_ colors: [Color], rows: Int, columns: Int, in rect: Rect) throws {
        guard rows > 0, columns > 0, colors.count == rows * columns, rows < 32768, columns < 32768 else {
            throw PlottingError(.invalidArgument,
                                message: "image of \(colors.count) colours does not fill \(rows) x \(columns) cells")
        }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(columns), Int32(rows))!
        defer { cairo_surface_destroy(image) }
        try CairoStatus.check(surface: image, "cairo_image_surface_create")
        cairo_surface_flush(image)
        let stride = Int(cairo_image_surface_get_stride(image)) / 4
        let pixels = cairo_image_surface_get_data(image)!.withMemoryRebound(to: UInt32.self, capacity: stride * rows) { $0 }
        for row in 0..<rows {
            for column in 0..<columns {
                pixels[row * stride + column] = PNGImage.premultipliedARGB(colors[row * columns + column])
            }
        }
        cairo_surface_mark_dirty(image)
        cairo_save(context)
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(columns), rect.height / Double(rows))
        cairo_set_source_surface(context, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), CAIRO_FILTER_NEAREST)
        cairo_rectangle(context, 0, 0, Double(columns), Double(rows))
        cairo_fill(context)
        cairo_restore(context)
        try CairoStatus.check(context: context, "cairo_fill (image)")
    }

    /// Runs `body` with drawing clipped to `rect` (keeps curves inside the plot area).
    public func withClip(_ rect: Rect, _ body: () throws -> Void) throws {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        defer { cairo_restore(context) }
        try CairoStatus.check(context: context, "cairo_clip")
        try body()
    }

    // MARK: Text

    /// Draws `string` in DejaVu Sans of `size` points at `anchor`, aligned as given and
    /// rotated counter-clockwise by `rotationDegrees` about the anchor (90 for a y-axis
    /// label that reads bottom to top). Format numbers with `NumberFormat` so negatives
    /// get a true minus sign.
    public func text(_ string: String, at anchor: Point, size: Double, color: Color = .black,
                     horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
                     rotationDegrees: Double = 0, bold: Bool = false) throws {
        setFont(size: size, bold: bold)
        var textExtents = cairo_text_extents_t()
        cairo_text_extents(context, string, &textExtents)
        var fontExtents = cairo_font_extents_t()
        cairo_font_extents(context, &fontExtents)
        try CairoStatus.check(context: context, "cairo_text_extents")

        let dx: Double = switch horizontal {
        case .left: 0
        case .center: -textExtents.x_advance / 2
        case .right: -textExtents.x_advance
        }
        let dy: Double = switch vertical {
        case .baseline: 0
        case .top: fontExtents.ascent
        case .center: (fontExtents.ascent - fontExtents.descent) / 2
        case .bottom: -fontExtents.descent
        }
        cairo_save(context)
        setColor(color)
        cairo_translate(context, anchor.x, anchor.y)
        // Cairo's y axis points down, so a counter-clockwise turn on the page is negative.
        cairo_rotate(context, -rotationDegrees * Double.pi / 180)
        cairo_move_to(context, dx, dy)
        cairo_show_text(context, string)
        cairo_restore(context)
        try CairoStatus.check(context: context, "cairo_show_text")
    }

    /// The advance width of `string` in points, for laying out labels and legends.
    public func textWidth(_ string: String, size: Double, bold: Bool = false) throws -> Double {
        setFont(size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        try CairoStatus.check(context: context, "cairo_text_extents")
        return extents.x_advance
    }

    /// The font's ascent (above the baseline) and descent (below it) in points for text of
    /// `size` points, for stacking lines of text and sizing label margins.
    public func fontMetrics(size: Double, bold: Bool = false) throws -> (ascent: Double, descent: Double) {
        setFont(size: size, bold: bold)
        var extents = cairo_font_extents_t()
        cairo_font_extents(context, &extents)
        try CairoStatus.check(context: context, "cairo_font_extents")
        return (extents.ascent, extents.descent)
    }

    // MARK: Output

    /// Writes the canvas to `url` in the format named by its extension: `.png` (raster,
    /// `pixelsPerPoint` pixels per point, so 2 gives a 144 dpi image), `.pdf` or `.svg`
    /// (vector). The file is written next to `url` under a temporary name and renamed over
    /// it, so a failure never leaves a half-written figure.
    public func write(to url: URL, pixelsPerPoint: Double = 2) throws {
        let format = url.pathExtension.lowercased()
        guard ["png", "pdf", "svg"].contains(format) else {
            throw PlottingError(.unsupportedFormat, file: url.path,
                                message: "cannot write '\(url.path)': unknown extension '\(url.pathExtension)' (use .png, .pdf or .svg)")
        }
        guard pixelsPerPoint.isFinite, pixelsPerPoint > 0 else {
            throw PlottingError(.invalidArgument, file: url.path,
                                message: "cannot write '\(url.path)': pixels per point \(pixelsPerPoint) must be positive")
        }
        cairo_surface_flush(surface)
        try CairoStatus.check(surface: surface, "cairo_surface_flush")
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            switch format {
            case "png": try writePNG(to: temporary, pixelsPerPoint: pixelsPerPoint, reportingAs: url.path)
            case "pdf":
                let pdf = cairo_pdf_surface_create(temporary.path, width, height)!
                // A fixed creation date keeps figures byte-identical from run to run (cairo
                // would stamp the current time), so regenerating them changes nothing in git.
                cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, "2022-11-28T00:00:00")
                cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "DriftLab")
                try writeVector(pdf, "cairo_pdf_surface_create", reportingAs: url.path)
            default:
                let svg = cairo_svg_surface_create(temporary.path, width, height)!
                cairo_svg_surface_set_document_unit(svg, CAIRO_SVG_UNIT_PT)
                try writeVector(svg, "cairo_svg_surface_create", reportingAs: url.path)
                try Self.renumberSurfaceIDs(inSVGAt: temporary, reportingAs: url.path)
            }
            guard rename(temporary.path, url.path) == 0 else {
                throw PlottingError(.fileSystem, call: "rename", file: url.path,
                                    message: "cannot rename '\(temporary.path)' to '\(url.path)': \(String(cString: strerror(errno)))")
            }
        } catch {
            // Best effort: the temporary may never have been created.
            _ = unlink(temporary.path)
            throw error
        }
    }

    // MARK: Helpers

    private func setColor(_ color: Color) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, color.alpha)
    }

    private func setFont(size: Double, bold: Bool) {
        cairo_select_font_face(context, Canvas.fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }

    private func tracePath(_ points: [Point]) {
        cairo_new_path(context)
        cairo_move_to(context, points[0].x, points[0].y)
        for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
    }

    private func strokePath(lineWidth: Double, dash: [Double]) throws {
        cairo_set_line_width(context, lineWidth)
        cairo_set_dash(context, dash, Int32(dash.count), 0)
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
        try CairoStatus.check(context: context, "cairo_stroke")
    }

    /// Replays the recording onto `target` through a fresh context.
    private func replay(onto target: OpaquePointer, scale: Double, reportingAs file: String) throws {
        let replay = cairo_create(target)!
        defer { cairo_destroy(replay) }
        cairo_scale(replay, scale, scale)
        cairo_set_source_surface(replay, surface, 0, 0)
        cairo_paint(replay)
        try CairoStatus.check(context: replay, "cairo_paint", file: file)
    }

    /// Cairo numbers SVG surfaces and images with process-wide counters, so the same figure
    /// drawn after others gets other ids. Renumbering each kind in order of appearance makes
    /// the file depend on the figure alone. Only ids and references (`id="image3"`,
    /// `#image3"`) are touched, never the base64 image data around them.
    static func renumberSurfaceIDs(inSVGAt url: URL, reportingAs file: String) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw PlottingError(.fileSystem, file: file, message: "cannot reread '\(file)' to finish it: \(error.localizedDescription)")
        }
        var mapping: [String: String] = [:]
        var counts: [Substring: Int] = [:]
        let renumbered = text.replacing(/(id="|#)(surface|image)([0-9]+)"/) { match in
            let (_, prefix, kind, number) = match.output
            let key = "\(kind)\(number)"
            let name: String
            if let known = mapping[key] {
                name = known
            } else {
                counts[kind, default: 0] += 1
                name = "\(kind)\(counts[kind]!)"
                mapping[key] = name
            }
            return "\(prefix)\(name)\""
        }
        do { try renumbered.write(to: url, atomically: false, encoding: .utf8) } catch {
            throw PlottingError(.fileSystem, file: file, message: "cannot write '\(file)': \(error.localizedDescription)")
        }
    }

    private func writePNG(to temporary: URL, pixelsPerPoint: Double, reportingAs file: String) throws {
        // Round up, but not past floating-point noise: 864 pt at 300/72 px/pt is 3600 px, not 3601.
        let pixelWidth = Int((width * pixelsPerPoint - 1e-6).rounded(.up))
        let pixelHeight = Int((height * pixelsPerPoint - 1e-6).rounded(.up))
        guard pixelWidth <= 32767, pixelHeight <= 32767 else {
            throw PlottingError(.invalidArgument, file: file,
                                message: "cannot write '\(file)': \(pixelWidth) x \(pixelHeight) pixels exceeds Cairo's 32767 limit")
        }
        let image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(pixelWidth), Int32(pixelHeight))!
        defer { cairo_surface_destroy(image) }
        try CairoStatus.check(surface: image, "cairo_image_surface_create", file: file)
        try replay(onto: image, scale: pixelsPerPoint, reportingAs: file)
        try CairoStatus.check(cairo_surface_write_to_png(image, temporary.path), "cairo_surface_write_to_png", file: file)
    }

    private func writeVector(_ target: OpaquePointer, _ call: String, reportingAs file: String) throws {
        defer { cairo_surface_destroy(target) }
        try CairoStatus.check(surface: target, call, file: file)
        try replay(onto: target, scale: 1, reportingAs: file)
        cairo_surface_finish(target)
        try CairoStatus.check(surface: target, "cairo_surface_finish", file: file)
    }
}
