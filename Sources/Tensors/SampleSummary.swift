import Foundation

/// Mean, standard deviation and standard error of a sample, in double precision.
public struct SampleSummary: Sendable, Equatable, Codable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n - 1 in the denominator); 0 for fewer than two values.
    public let standardDeviation: Double
    /// Standard error of the mean: `standardDeviation / sqrt(count)`.
    public var standardError: Double { count > 0 ? standardDeviation / Double(count).squareRoot() : .nan }

    public init<S: Sequence>(_ values: S) where S.Element: BinaryFloatingPoint {
        var n = 0
        var mean = 0.0, m2 = 0.0 // Welford: stable for long curves of large returns
        for v in values {
            n += 1
            let x = Double(v)
            let delta = x - mean
            mean += delta / Double(n)
            m2 += delta * (x - mean)
        }
        self.count = n
        self.mean = n > 0 ? mean : .nan
        self.standardDeviation = n > 1 ? (m2 / Double(n - 1)).squareRoot() : 0
    }
}

extension Float {
    /// The Double with the same shortest decimal spelling (0.2 -> 0.2, not 0.20000000298...):
    /// what files should record for a Float setting, so that people reading them see the
    /// number that was typed, and converting back to Float gives the same Float.
    public var decimalDouble: Double { Double(description) ?? Double(self) }
}
