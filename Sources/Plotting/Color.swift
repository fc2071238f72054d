import Foundation

/// An sRGB colour with straight (not premultiplied) alpha, components in [0, 1].
public struct Color: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Red in [0, 1].
    public var red: Double
    /// Green in [0, 1].
    public var green: Double
    /// Blue in [0, 1].
    public var blue: Double
    /// Opacity in [0, 1]; 1 is opaque.
    public var alpha: Double

    /// A colour from components in [0, 1].
    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a 24-bit `0xRRGGBB` value, as in CSS and matplotlib.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255,
                  green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255,
                  alpha: alpha)
    }

    /// The same colour with opacity `alpha` (for error bands and overlays).
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// The colour a fraction `t` of the way to `other` (t = 0 is self, 1 is other),
    /// interpolating each sRGB component and alpha linearly.
    public func interpolated(to other: Color, fraction t: Double) -> Color {
        // This form (rather than a + (b - a) t) returns exactly `other` at t = 1.
        let s = 1 - t
        return Color(red: red * s + other.red * t,
                     green: green * s + other.green * t,
                     blue: blue * s + other.blue * t,
                     alpha: alpha * s + other.alpha * t)
    }

    /// WCAG relative luminance in [0, 1] (linearised sRGB weighted 0.2126, 0.7152, 0.0722);
    /// used to check that colour maps are balanced.
    public var relativeLuminance: Double {
        func linear(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// `#rrggbb` (with `aa` appended when not opaque).
    public var description: String {
        func byte(_ c: Double) -> String {
            let value = Int((min(max(c, 0), 1) * 255).rounded())
            return (value < 16 ? "0" : "") + String(value, radix: 16)
        }
        return "#" + byte(red) + byte(green) + byte(blue) + (alpha < 1 ? byte(alpha) : "")
    }

    // MARK: Palette

    /// Opaque black.
    public static let black = Color(red: 0, green: 0, blue: 0)
    /// Opaque white.
    public static let white = Color(red: 1, green: 1, blue: 1)
    /// Mid grey, for secondary lines and annotations.
    public static let gray = Color(hex: 0x7F7F7F)
    /// Light grey, for grid lines.
    public static let lightGray = Color(hex: 0xDDDDDD)

    /// matplotlib's "tab10" cycle, the colours of the paper's figures.
    public static let tab10: [Color] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
        0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { Color(hex: $0) }

    /// PPO's colour in the paper's figures (tab:blue).
    public static let ppo = tab10[0]
    /// LPO's colour (tab:orange).
    public static let lpo = tab10[1]
    /// DPO's colour (tab:green); DPO is Discovered Policy Optimisation.
    public static let dpo = tab10[2]
    /// LPO-Zero's colour (tab:red).
    public static let lpoZero = tab10[3]
}
