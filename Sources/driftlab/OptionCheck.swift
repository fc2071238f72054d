import ArgumentParser

/// Range checks for numeric options, used by the commands' `validate()`: every size has a
/// limit, and a value outside gets one line naming the option, the value and the bound.
/// Options whose value may be negative are declared with `parsing: .unconditional`, so that
/// `--steps -5` reaches this check instead of ArgumentParser's "Missing value".
enum OptionCheck {
    /// Throws unless `low <= value <= high`.
    static func require<T: Comparable & CustomStringConvertible>(_ option: String, _ value: T, in range: ClosedRange<T>) throws {
        if value < range.lowerBound {
            throw ValidationError("\(option) must be ≥ \(range.lowerBound), got \(value)")
        }
        if value > range.upperBound {
            throw ValidationError("\(option) \(value) is above the limit of \(range.upperBound)")
        }
    }

    /// Throws unless `value` is a finite number in `range`.
    static func requireFinite<T: BinaryFloatingPoint & CustomStringConvertible>(_ option: String, _ value: T,
                                                                                in range: ClosedRange<T>) throws {
        guard value.isFinite else { throw ValidationError("\(option) must be a finite number, got \(value)") }
        try require(option, value, in: range)
    }
}
