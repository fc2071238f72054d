/// Where text sits horizontally relative to its anchor point (along the text's own
/// direction when rotated).
public enum HorizontalAlignment: Sendable {
    /// The text starts at the anchor.
    case left
    /// The text is centred on the anchor.
    case center
    /// The text ends at the anchor.
    case right
}

/// Where text sits vertically relative to its anchor point, measured with the font's
/// ascent and descent (not each string's ink), so that labels in a row line up.
public enum VerticalAlignment: Sendable {
    /// The anchor is on the baseline.
    case baseline
    /// The anchor is at the top of the font's ascent.
    case top
    /// The anchor is half-way between ascent and descent.
    case center
    /// The anchor is at the bottom of the font's descent.
    case bottom
}
