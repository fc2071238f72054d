import Foundation
import Tensors

/// Tolerances shared by every test target, in one place.
public enum Tolerance {
    /// Relative error allowed between an analytic gradient and a central finite difference
    /// computed in double precision.
    public static let gradientCheck = 1e-3
    /// Absolute error for Float32 quantities computed two ways.
    public static let float32 = 1e-5
    /// Absolute error for Float64 quantities computed two ways.
    public static let float64 = 1e-10
}

/// Central finite difference of `f` at `x` along every coordinate, step `h`.
public func numericalGradient(of f: ([Double]) -> Double, at x: [Double], step h: Double = 1e-5) -> [Double] {
    var g = [Double](repeating: 0, count: x.count)
    var probe = x
    for i in x.indices {
        probe[i] = x[i] + h
        let plus = f(probe)
        probe[i] = x[i] - h
        let minus = f(probe)
        probe[i] = x[i]
        g[i] = (plus - minus) / (2 * h)
    }
    return g
}

/// Largest relative difference between two gradients, with `floor` guarding tiny magnitudes.
public func maxRelativeError(_ a: [Double], _ b: [Double], floor: Double = 1e-3) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for i in a.indices {
        let denominator = max(abs(a[i]), abs(b[i]), floor)
        worst = max(worst, abs(a[i] - b[i]) / denominator)
    }
    return worst
}

/// A reproducible stream for tests.
public func testStream(_ index: Int = 0, seed: UInt64 = 1234) -> RandomStream {
    RandomStream(seed: seed, stream: StreamID.make(.test, index))
}

/// A fresh temporary directory, removed by the caller when done.
public func temporaryDirectory(_ name: String = "driftlab-test") -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
