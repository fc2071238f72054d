import Foundation

/// The input features of a learned drift, all zero at `r = 1` (so a bias-free network
/// gives `f~(1, A) = 0`), with their exact derivatives with respect to `r`.
public enum DriftFeatureSet: String, Sendable, Codable, CaseIterable {
    /// The eight LPO features in the public reference code's order:
    /// `[log r, (log r)^2, 1-r, (1-r)^2, A log r, A (log r)^2, A (1-r), A (1-r)^2]`.
    case standard
    /// The temporally-aware features `[x, (n/N) x]` (16), `n/N` the fraction of training done.
    case temporal

    /// Feature names as stored in the `features` attribute of a drift file.
    public var names: [String] {
        let base = ["log_r", "log_r^2", "1-r", "(1-r)^2", "A*log_r", "A*log_r^2", "A*(1-r)", "A*(1-r)^2"]
        switch self {
        case .standard: return base
        case .temporal: return base + base.map { "progress*" + $0 }
        }
    }

    /// Number of features.
    public var count: Int { self == .standard ? 8 : 16 }

    /// Recognises a feature set from the names stored in a file.
    public init?(names: [String]) {
        guard let match = Self.allCases.first(where: { $0.names == names }) else { return nil }
        self = match
    }

    /// Writes the features `x` and `dx/dr` of one sample into `features` and `slopes`
    /// (each of length `count`).
    @inlinable
    public func compute(ratio r: Float, advantage a: Float, progress p: Float,
                        features x: UnsafeMutablePointer<Float>, slopes dx: UnsafeMutablePointer<Float>) {
        let l = log(r), u = 1 - r
        x[0] = l;         dx[0] = 1 / r
        x[1] = l * l;     dx[1] = 2 * l / r
        x[2] = u;         dx[2] = -1
        x[3] = u * u;     dx[3] = -2 * u
        x[4] = a * l;     dx[4] = a / r
        x[5] = a * l * l; dx[5] = 2 * a * l / r
        x[6] = a * u;     dx[6] = -a
        x[7] = a * u * u; dx[7] = -2 * a * u
        if self == .temporal {
            for k in 0..<8 {
                x[8 + k] = p * x[k]
                dx[8 + k] = p * dx[k]
            }
        }
    }
}
