import Foundation

/// Formats numbers for tick labels and annotations the way typeset figures do: negative
/// numbers use the true minus sign U+2212 ("−0.5", not the hyphen "-0.5"), and a value that
/// rounds to zero never shows as "−0".
public struct NumberFormat: Sendable, Equatable {
    /// How many digits to show.
    public enum Style: Sendable, Equatable {
        /// A fixed number of digits after the decimal point: 0.50, 12.00.
        case fixed(fractionDigits: Int)
        /// A number of significant digits, switching to an exponent for very large or
        /// small magnitudes (as C's `%g`): 0.5, 1e−05.
        case significant(digits: Int)
    }

    /// The style.
    public var style: Style

    /// A formatter with `style`.
    public init(_ style: Style) {
        precondition({
            switch style {
            case .fixed(let digits): digits >= 0 && digits <= 20
            case .significant(let digits): digits >= 1 && digits <= 17
            }
        }(), "NumberFormat: digits out of range in \(style)")
        self.style = style
    }

    /// The fixed style with just enough fraction digits to tell apart ticks `step` apart:
    /// step 0.5 gives 1 digit, 0.25 gives 2, 2 gives 0.
    public static func forStep(_ step: Double) -> NumberFormat {
        guard step.isFinite && step > 0 else { return NumberFormat(.significant(digits: 3)) }
        var digits = 0
        var scaled = step
        // Stop when the step is a whole number at this precision (up to rounding noise).
        while digits < 10 && abs(scaled - scaled.rounded()) > 1e-6 * max(1, scaled) {
            digits += 1
            scaled *= 10
        }
        return NumberFormat(.fixed(fractionDigits: digits))
    }

    /// `value` as text with a true minus sign.
    public func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "\u{2212}∞" : "∞" }
        var text: String
        switch style {
        case .fixed(let digits): text = String(format: "%.\(digits)f", value)
        case .significant(let digits): text = String(format: "%.\(digits)g", value)
        }
        if text.hasPrefix("-") && !text.contains(where: { ("1"..."9").contains($0) }) {
            text.removeFirst()  // "-0.00" is zero: no sign.
        }
        return text.replacingOccurrences(of: "-", with: "\u{2212}")
    }
}
