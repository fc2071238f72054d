import Foundation

/// A linear map from data values (`domain`) to canvas coordinates in points (`range`), with
/// "nice" tick positions on 1-2-5 steps, as matplotlib's default locator chooses them.
///
/// `range` may run backwards: a y scale maps its lowest value to the bottom of the plot,
/// which has the larger canvas y, so `range` is `bottom ... top` given as (start, end).
///
/// ```swift
/// let x = LinearScale(domain: 0...1, start: 40, end: 240)
/// x.map(0.5)        // 140
/// x.ticks()         // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// ```
public struct LinearScale: Sendable, Equatable {
    /// The data interval shown; `lower < upper` always holds (see `init`).
    public let domain: ClosedRange<Double>
    /// The canvas coordinate of `domain.lowerBound`.
    public let start: Double
    /// The canvas coordinate of `domain.upperBound`.
    public let end: Double

    /// A scale from `domain` onto canvas coordinates `start ... end` (either order).
    ///
    /// A degenerate domain (a single value) is widened to a small interval around it and a
    /// non-finite one becomes [0, 1], so mapping never yields NaN: a plot of a constant
    /// series still draws a flat line in the middle.
    public init(domain: ClosedRange<Double>, start: Double = 0, end: Double = 1) {
        self.domain = LinearScale.usableDomain(domain)
        self.start = start
        self.end = end
    }

    /// `domain` made finite and non-empty: [v - 1, v + 1] for v = 0, else v ± 10 % of |v|.
    public static func usableDomain(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        let lower = domain.lowerBound, upper = domain.upperBound
        guard lower.isFinite, upper.isFinite else { return 0...1 }
        if upper > lower { return domain }
        let pad = lower == 0 ? 1 : abs(lower) * 0.1
        return (lower - pad)...(upper + pad)
    }

    /// The canvas coordinate of `value` (values outside the domain extrapolate linearly).
    public func map(_ value: Double) -> Double {
        let t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        return start + t * (end - start)
    }

    /// The data value at canvas coordinate `coordinate`; the inverse of `map`.
    public func invert(_ coordinate: Double) -> Double {
        guard end != start else { return domain.lowerBound }
        let t = (coordinate - start) / (end - start)
        return domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
    }

    /// Nice tick values inside the domain, about `targetCount` of them (see `niceTicks`).
    public func ticks(targetCount: Int = 5) -> [Double] {
        LinearScale.niceTicks(in: domain, targetCount: targetCount)
    }

    /// The 1-2-5 step (1, 2 or 5 times a power of ten) that divides `domain` into a number
    /// of intervals closest to `targetCount` (by ratio; ties go to the larger step).
    public static func niceStep(for domain: ClosedRange<Double>, targetCount: Int = 5) -> Double {
        let usable = usableDomain(domain)
        let width = usable.upperBound - usable.lowerBound
        let target = Double(max(1, targetCount))
        let magnitude = pow(10, floor(log10(width / target)))
        var best = magnitude
        var bestDistance = Double.infinity
        // The raw step width / target lies in [magnitude, 10 magnitude): candidates around it.
        for multiple in [0.5, 1, 2, 5, 10, 20] {
            let step = multiple * magnitude
            let distance = abs(log(width / step / target))
            if distance <= bestDistance + 1e-12 {
                best = step
                bestDistance = distance
            }
        }
        return best
    }

    /// Every multiple of `niceStep(for:targetCount:)` inside `domain` (with a relative slack
    /// of 1e-9 so that end points like 1.0 survive rounding), computed as integer multiples
    /// divided by a power of ten so that 0.3 prints as 0.3, not 0.30000000000000004.
    ///
    /// [0, 1] gives 0, 0.2, ..., 1; [-4, 4] gives -4, -2, 0, 2, 4; [0, 1e7] gives
    /// 0, 2e6, ..., 1e7. A degenerate or non-finite domain is first widened as in `init`.
    public static func niceTicks(in domain: ClosedRange<Double>, targetCount: Int = 5) -> [Double] {
        let usable = usableDomain(domain)
        let step = niceStep(for: usable, targetCount: targetCount)
        let slack = step * 1e-9
        let first = (usable.lowerBound / step - 1e-9).rounded(.up)
        let last = (usable.upperBound / step + 1e-9).rounded(.down)
        guard first <= last, last - first < 10_000 else { return [] }
        // Express the step as an integer over (or times) a power of ten for exact decimals.
        let exponent = Int(floor(log10(step) + 1e-12))
        let mantissa = (step / pow(10, Double(exponent))).rounded()
        var ticks: [Double] = []
        var k = first
        while k <= last {
            let value = exponent < 0 ? (k * mantissa) / pow(10, Double(-exponent)) : k * mantissa * pow(10, Double(exponent))
            if value >= usable.lowerBound - slack && value <= usable.upperBound + slack { ticks.append(value == 0 ? 0 : value) }
            k += 1
        }
        return ticks
    }

    /// `domain` widened outwards to the nearest multiples of its nice step, so that the
    /// axis ends on labelled ticks (used for y axes of line plots).
    public static func nicedDomain(_ domain: ClosedRange<Double>, targetCount: Int = 5) -> ClosedRange<Double> {
        let usable = usableDomain(domain)
        let step = niceStep(for: usable, targetCount: targetCount)
        let lower = (usable.lowerBound / step - 1e-9).rounded(.down) * step
        let upper = (usable.upperBound / step + 1e-9).rounded(.up) * step
        return lower...upper
    }
}
