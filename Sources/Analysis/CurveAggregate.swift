import Foundation
import Training

/// A training curve averaged over runs (seeds): mean and standard error at common steps.
public struct CurveAggregate: Sendable, Codable, Equatable {
    /// The curve's name in `/curves` (`episode_return`, `entropy`, ...).
    public var curve: String
    /// Environment steps of the common grid.
    public var steps: [Double]
    public var mean: [Double]
    /// Standard error of the mean across runs (0 with a single run).
    public var standardError: [Double]
    /// How many runs contribute at each step.
    public var runs: [Int]

    /// Aggregates `curve` from run files on `points` evenly spaced steps up to the shortest
    /// run's last step. Each run's curve is linearly interpolated at the grid steps; missing
    /// values (NaN, e.g. no episode finished in an update) are skipped by interpolating
    /// between the surrounding finite values.
    public static func aggregate(_ runs: [RunFile.Contents], curve: String, points: Int = 100,
                                 labels: [String]) throws -> CurveAggregate {
        guard !runs.isEmpty else { throw AnalysisError.invalidInput("no run files to aggregate") }
        guard labels.count == runs.count else {
            throw AnalysisError.invalidInput("\(runs.count) runs but \(labels.count) labels")
        }
        guard let getter = UpdateMetrics.curves.first(where: { $0.name == curve })?.value else {
            throw AnalysisError.invalidInput("unknown curve '\(curve)'; curves: " + UpdateMetrics.curves.map(\.name).joined(separator: ", "))
        }
        var series: [[(x: Double, y: Double)]] = []
        for (run, label) in zip(runs, labels) {
            let points = run.curves.map { (Double($0.envSteps), getter($0)) }.filter { $0.1.isFinite }
            guard points.count >= 1 else {
                throw AnalysisError.invalidFile(path: label, reason: "curve '\(curve)' has no finite values (a run without curves?)")
            }
            series.append(points)
        }
        let end = series.map { $0.last!.x }.min()!
        let start = series.map { $0.first!.x }.max()!
        guard start <= end else {
            throw AnalysisError.invalidInput("the runs' curves '\(curve)' cover no common range of steps")
        }
        let count = max(2, points)
        let grid = (0..<count).map { start + (end - start) * Double($0) / Double(count - 1) }
        var mean: [Double] = [], stderr: [Double] = [], used: [Int] = []
        for x in grid {
            let ys = series.compactMap { interpolate($0, at: x) }
            let n = Double(ys.count)
            let m = ys.reduce(0, +) / n
            let variance = ys.count > 1 ? ys.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
            mean.append(m)
            stderr.append((variance / n).squareRoot())
            used.append(ys.count)
        }
        return CurveAggregate(curve: curve, steps: grid, mean: mean, standardError: stderr, runs: used)
    }

    static func interpolate(_ points: [(x: Double, y: Double)], at x: Double) -> Double? {
        guard let first = points.first, let last = points.last, x >= first.x - 1e-9, x <= last.x + 1e-9 else { return nil }
        if points.count == 1 { return first.y }
        var lo = 0, hi = points.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if points[mid].x <= x { lo = mid } else { hi = mid }
        }
        let (a, b) = (points[lo], points[hi])
        if b.x == a.x { return a.y }
        let t = min(max((x - a.x) / (b.x - a.x), 0), 1)
        return a.y + t * (b.y - a.y)
    }
}
