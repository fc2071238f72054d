/// A colour map: values in `domain` to colours, by linear interpolation between stops.
///
/// `diverging` (coolwarm-like, blue - white - red) shows signed quantities symmetric about
/// zero, such as the drift's derivative maps over (r, A) in the paper's Figures 1-3;
/// `sequential` (viridis-like) shows magnitudes in [0, 1].
public struct ColorMap: Sendable {
    /// The values mapped to the first and last stop; values outside are clamped.
    public let domain: ClosedRange<Double>
    /// Positions in [0, 1] (increasing) and their colours.
    public let stops: [(position: Double, color: Color)]
    /// The colour of NaN values.
    public var nanColor: Color = .lightGray

    /// A map through `stops` (positions in [0, 1], increasing, first 0 and last 1) over `domain`.
    public init(domain: ClosedRange<Double>, stops: [(position: Double, color: Color)]) {
        precondition(stops.count >= 2 && stops.first?.position == 0 && stops.last?.position == 1,
                     "colour map stops must start at 0 and end at 1")
        precondition(zip(stops, stops.dropFirst()).allSatisfy { $0.position < $1.position },
                     "colour map stops must increase")
        precondition(domain.upperBound > domain.lowerBound, "colour map domain must not be empty")
        self.domain = domain
        self.stops = stops
    }

    /// The colour for `value`: clamped to `domain`, `nanColor` for NaN.
    public func color(at value: Double) -> Color {
        if value.isNaN { return nanColor }
        let t = min(max((value - domain.lowerBound) / (domain.upperBound - domain.lowerBound), 0), 1)
        var upper = 1
        while upper < stops.count - 1 && stops[upper].position < t { upper += 1 }
        let (p0, c0) = stops[upper - 1]
        let (p1, c1) = stops[upper]
        return c0.interpolated(to: c1, fraction: (t - p0) / (p1 - p0))
    }

    /// Blue at -1, white at 0, red at +1, over [-1, 1]. The outer and half-way stops are
    /// Moreland's "cool to warm" colours, whose blue and red sides have equal luminance at
    /// equal distance from zero, so neither sign looks stronger; the centre is pure white so
    /// that a zero derivative reads as "no effect".
    public static let diverging = ColorMap(domain: -1...1, stops: [
        (0, Color(red: 0.230, green: 0.299, blue: 0.754)),
        (0.25, Color(red: 0.552, green: 0.690, blue: 0.996)),
        (0.5, Color.white),
        (0.75, Color(red: 0.958, green: 0.604, blue: 0.482)),
        (1, Color(red: 0.706, green: 0.016, blue: 0.150)),
    ])

    /// Dark purple at 0 to yellow at 1 through blue and green (viridis' five key colours),
    /// over [0, 1]; luminance increases monotonically, so it prints well in grey.
    public static let sequential = ColorMap(domain: 0...1, stops: [
        (0, Color(hex: 0x440154)),
        (0.25, Color(hex: 0x3B528B)),
        (0.5, Color(hex: 0x21918C)),
        (0.75, Color(hex: 0x5EC962)),
        (1, Color(hex: 0xFDE725)),
    ])

    /// The same stops over another domain, for example `diverging.over(-m ... m)` with `m`
    /// the largest magnitude in a heat map, to keep zero white.
    public func over(_ domain: ClosedRange<Double>) -> ColorMap {
        var map = ColorMap(domain: domain, stops: stops)
        map.nanColor = nanColor
        return map
    }
}
