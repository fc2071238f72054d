import Foundation

/// A one-line label with superscripts and subscripts, written as `e^{−1}` or `r_{t}`.
///
/// Only the braced forms are markup: a bare `^` or `_` (as in a file name) is drawn as
/// typed. Scripts are drawn at 70 % of the size, raised by 0.4 em (superscript) or lowered
/// by 0.2 em (subscript), the proportions TeX uses for first-level scripts.
///
/// ```swift
/// try RichText("e^{−0.5}").draw(on: canvas, at: Point(100, 200), size: 9, horizontal: .center, vertical: .top)
/// ```
public struct RichText: Sendable, Equatable {
    /// A piece of text at one position.
    public enum Position: Sendable, Equatable {
        /// On the baseline at full size.
        case normal
        /// Raised and smaller.
        case superscript
        /// Lowered and smaller.
        case `subscript`
    }

    /// The runs in reading order.
    public let runs: [(text: String, position: Position)]

    /// Script size relative to the base size.
    public static let scriptScale = 0.7

    /// Parses `markup`; an unclosed `^{` or `_{` extends to the end of the string.
    public init(_ markup: String) {
        var runs: [(text: String, position: Position)] = []
        var current = ""
        var position = Position.normal
        var characters = Array(markup)[...]
        while let character = characters.popFirst() {
            if position == .normal, character == "^" || character == "_", characters.first == "{" {
                characters.removeFirst()
                if !current.isEmpty { runs.append((current, .normal)) }
                current = ""
                position = character == "^" ? .superscript : .subscript
            } else if position != .normal, character == "}" {
                if !current.isEmpty { runs.append((current, position)) }
                current = ""
                position = .normal
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { runs.append((current, position)) }
        self.runs = runs
    }

    /// The same text without markup (for searching and accessibility).
    public var plainText: String { runs.map(\.text).joined() }

    /// Equal when the runs have the same texts and positions.
    public static func == (lhs: RichText, rhs: RichText) -> Bool {
        lhs.runs.count == rhs.runs.count && zip(lhs.runs, rhs.runs).allSatisfy { $0.text == $1.text && $0.position == $1.position }
    }

    /// The font size and baseline shift (upwards, in points) of a run at `position`.
    private static func geometry(_ position: Position, size: Double) -> (size: Double, rise: Double) {
        switch position {
        case .normal: (size, 0)
        case .superscript: (size * scriptScale, size * 0.4)
        case .subscript: (size * scriptScale, -size * 0.2)
        }
    }

    /// The advance width in points at base size `size`.
    public func width(on canvas: Canvas, size: Double, bold: Bool = false) throws -> Double {
        var total = 0.0
        for run in runs {
            total += try canvas.textWidth(run.text, size: RichText.geometry(run.position, size: size).size, bold: bold)
        }
        return total
    }

    /// The extent above and below the baseline in points: the base font's ascent and
    /// descent, grown where a script reaches beyond them.
    public func verticalExtent(on canvas: Canvas, size: Double, bold: Bool = false) throws -> (ascent: Double, descent: Double) {
        let base = try canvas.fontMetrics(size: size, bold: bold)
        var ascent = base.ascent, descent = base.descent
        for run in runs where run.position != .normal {
            let (runSize, rise) = RichText.geometry(run.position, size: size)
            let metrics = try canvas.fontMetrics(size: runSize, bold: bold)
            // Measured from the cap height rather than the full ascent: scripts on digits
            // rarely reach the accent zone, and this keeps tick labels tightly packed.
            ascent = max(ascent, rise + metrics.ascent * 0.8)
            descent = max(descent, -rise + metrics.descent)
        }
        return (ascent, descent)
    }

    /// Draws the text at `anchor`, aligned like `Canvas.text` (vertical alignment uses the
    /// base font's ascent and descent so that rows of labels line up) and rotated
    /// counter-clockwise by `rotationDegrees` about the anchor.
    public func draw(on canvas: Canvas, at anchor: Point, size: Double, color: Color = .black,
                     horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .baseline,
                     rotationDegrees: Double = 0, bold: Bool = false) throws {
        if runs.count == 1 && runs[0].position == .normal {
            try canvas.text(runs[0].text, at: anchor, size: size, color: color, horizontal: horizontal,
                            vertical: vertical, rotationDegrees: rotationDegrees, bold: bold)
            return
        }
        let total = try width(on: canvas, size: size, bold: bold)
        let metrics = try canvas.fontMetrics(size: size, bold: bold)
        var along: Double = switch horizontal {
        case .left: 0
        case .center: -total / 2
        case .right: -total
        }
        // Baseline offset measured downwards along the text's "down" direction.
        let down: Double = switch vertical {
        case .baseline: 0
        case .top: metrics.ascent
        case .center: (metrics.ascent - metrics.descent) / 2
        case .bottom: -metrics.descent
        }
        let angle = rotationDegrees * Double.pi / 180
        // Unit vectors on the page (y downwards) along the text and towards its top.
        let alongVector = Point(cos(angle), -sin(angle))
        let upVector = Point(-sin(angle), -cos(angle))
        for run in runs {
            let (runSize, rise) = RichText.geometry(run.position, size: size)
            let up = rise - down
            let point = Point(anchor.x + along * alongVector.x + up * upVector.x,
                              anchor.y + along * alongVector.y + up * upVector.y)
            try canvas.text(run.text, at: point, size: runSize, color: color, rotationDegrees: rotationDegrees, bold: bold)
            along += try canvas.textWidth(run.text, size: runSize, bold: bold)
        }
    }
}
