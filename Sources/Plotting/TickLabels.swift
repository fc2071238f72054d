import Foundation

/// How an axis labels its ticks.
///
/// Labels are rich text (see `RichText`): `^{...}` raises a superscript, so the paper's
/// log-ratio axes can read e^{−1}, e^{0}, e^{1} through `.exponential(base: "e")`.
public enum TickLabels: Sendable {
    /// Numbers chosen for the tick step (`TickLabels.automaticLabels`): true minus signs,
    /// "2M" and "500k" for large values, "2×10^{−4}" for tiny ones.
    case automatic
    /// Each tick's label is `formatter(value)`; positions are still chosen automatically.
    case formatted(@Sendable (Double) -> String)
    /// Exactly these ticks and labels (positions outside the axis limits are skipped).
    case fixed([TickMark])
    /// No tick labels (ticks are still drawn); for panels sharing an axis with a neighbour.
    case hidden

    /// Labels `base^{x}` for tick value x, with x formatted to at most three significant
    /// digits and a true minus sign: for an axis of log r, `.exponential(base: "e")` reads
    /// e^{−1}, e^{−0.5}, e^{0}, ... as in the paper's Figures 1-3 and 5.
    public static func exponential(base: String) -> TickLabels {
        .formatted { value in "\(base)^{\(NumberFormat(.significant(digits: 3)).string(value))}" }
    }

    /// Exactly the ticks `pairs` of (value, label), as matplotlib's `set_xticks(values, labels)`.
    public static func labeled(_ pairs: [(Double, String)]) -> TickLabels {
        .fixed(pairs.map { TickMark(value: $0.0, label: $0.1) })
    }

    /// Labels for `ticks` (sorted, evenly spaced) readable at a glance: fraction digits
    /// just enough for the step; magnitudes of 10^5 and above divided by 10^3 ("k"), 10^6
    /// ("M") or 10^9 ("B") so that 10^7 environment steps read "10M"; magnitudes below
    /// 10^-3 as mantissa ×10^{exponent}. Zero is always "0".
    public static func automaticLabels(for ticks: [Double]) -> [String] {
        guard !ticks.isEmpty else { return [] }
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : max(abs(ticks[0]), 1)
        let largest = ticks.map(abs).max() ?? 0
        // (threshold, divisor, suffix): "k" only from 10^5 on, since 5000 and 10000 read fine.
        let units: [(threshold: Double, scale: Double, suffix: String)] = [(1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e5, 1e3, "k")]
        if let unit = units.first(where: { largest >= $0.threshold }) {
            let format = NumberFormat.forStep(step / unit.scale)
            return ticks.map { $0 == 0 ? "0" : format.string($0 / unit.scale) + unit.suffix }
        }
        if largest > 0 && largest < 1e-3 {
            let exponent = Int(floor(log10(largest)))
            let scale = pow(10, Double(exponent))
            let format = NumberFormat.forStep(step / scale)
            let power = NumberFormat(.fixed(fractionDigits: 0)).string(Double(exponent))
            return ticks.map { $0 == 0 ? "0" : "\(format.string($0 / scale))×10^{\(power)}" }
        }
        let format = NumberFormat.forStep(step)
        return ticks.map { format.string($0) }
    }

    /// The ticks and labels for an axis showing `domain`, about `targetCount` ticks.
    public func marks(in domain: ClosedRange<Double>, targetCount: Int) -> [TickMark] {
        switch self {
        case .fixed(let marks):
            let slack = (domain.upperBound - domain.lowerBound) * 1e-9
            return marks.filter { $0.value >= domain.lowerBound - slack && $0.value <= domain.upperBound + slack }
        case .automatic:
            let ticks = LinearScale.niceTicks(in: domain, targetCount: targetCount)
            return zip(ticks, TickLabels.automaticLabels(for: ticks)).map { TickMark(value: $0, label: $1) }
        case .formatted(let formatter):
            return LinearScale.niceTicks(in: domain, targetCount: targetCount).map { TickMark(value: $0, label: formatter($0)) }
        case .hidden:
            return LinearScale.niceTicks(in: domain, targetCount: targetCount).map { TickMark(value: $0, label: "") }
        }
    }
}

/// One tick: its data value and its label (rich text; empty for an unlabelled tick).
public struct TickMark: Sendable, Equatable {
    /// The data value where the tick sits.
    public var value: Double
    /// The label drawn next to it.
    public var label: String

    /// A tick at `value` labelled `label`.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}
