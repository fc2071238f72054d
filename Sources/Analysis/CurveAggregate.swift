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
    ///
    /// `x` is the curve along the horizontal axis (`env_steps`, or `update`); `smooth` > 1
    /// first replaces each run's value by the mean of its last `smooth` finite values (a
    /// trailing moving average over updates, so no value uses the future).
    public static func aggregate(_ runs: [RunFile.Contents], curve: String, points: Int = 100,
                                 labels: [String], x: String = "env_steps", smooth: Int = 1) throws -> CurveAggregate {
        var series = try finiteSeries(runs, curve: curve, labels: labels, x: x)
        if smooth > 1 { series = series.map { movingAverage($0, window: smooth) } }
        let (start, end) = try commonRange(series, curve: curve)
        let count = max(2, points)
        let grid = (0..<count).map { start + (end - start) * Double($0) / Double(count - 1) }
        var mean: [Double] = [], stderr: [Double] = [], used: [Int] = []
        for x in grid {
            let summary = acrossRuns(series.compactMap { interpolate($0, at: x) })
            mean.append(summary.mean)
            stderr.append(summary.standardError)
            used.append(summary.count)
        }
        return CurveAggregate(curve: curve, steps: grid, mean: mean, standardError: stderr, runs: used)
    }

    /// Each run's finite `(env_steps, value)` pairs of `curve`; errors name the run's label.
    static func finiteSeries(_ runs: [RunFile.Contents], curve: String, labels: [String],
                             x: String = "env_steps") throws -> [[(x: Double, y: Double)]] {
        guard !runs.isEmpty else { throw AnalysisError.invalidInput("no run files to aggregate") }
        guard labels.count == runs.count else {
            throw AnalysisError.invalidInput("\(runs.count) runs but \(labels.count) labels")
        }
        // The standard curves, and any other metric the runs' files hold.
        let names = UpdateMetrics.curveNames(of: runs)
        guard names.contains(curve) else {
            throw AnalysisError.invalidInput("unknown curve '\(curve)'; curves: " + names.joined(separator: ", "))
        }
        guard names.contains(x) else {
            throw AnalysisError.invalidInput("unknown x curve '\(x)'; curves: " + names.joined(separator: ", "))
        }
        return try zip(runs, labels).map { run, label in
            let points = run.curves.map { (x: $0[x], y: $0[curve]) }.filter { $0.x.isFinite && $0.y.isFinite }
            guard !points.isEmpty else {
                throw AnalysisError.invalidFile(path: label, reason: "curve '\(curve)' has no finite values (a run without curves?)")
            }
            return points
        }
    }

    /// Each value replaced by the mean of the last `window` values up to it (fewer at the start).
    static func movingAverage(_ points: [(x: Double, y: Double)], window: Int) -> [(x: Double, y: Double)] {
        points.indices.map { i in
            let recent = points[max(0, i - window + 1)...i]
            return (points[i].x, recent.reduce(0) { $0 + $1.y } / Double(recent.count))
        }
    }

    /// The steps every run covers: from the latest first value to the earliest last one.
    static func commonRange(_ series: [[(x: Double, y: Double)]], curve: String) throws -> (start: Double, end: Double) {
        let end = series.map { $0.last!.x }.min()!
        let start = series.map { $0.first!.x }.max()!
        guard start <= end else {
            throw AnalysisError.invalidInput("the runs' curves '\(curve)' cover no common range of steps")
        }
        return (start, end)
    }

    /// Mean and standard error of one value per run (s.e. 0 for a single run).
    static func acrossRuns(_ ys: [Double]) -> (mean: Double, standardError: Double, count: Int) {
        let n = Double(ys.count)
        let m = ys.reduce(0, +) / n
        let variance = ys.count > 1 ? ys.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1) : 0
        return (m, (variance / n).squareRoot(), ys.count)
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

/// A curve at one number of environment steps, summarised over runs.
public struct CurvePoint: Sendable, Codable, Equatable {
    public var envSteps: Double
    public var mean: Double
    /// Standard error across runs of the per-run values.
    public var standardError: Double
    public var runs: Int
}

extension CurveAggregate {
    /// `curve` at each of `targets` (default: the end of the range every run covers). Each
    /// run contributes one value: the mean of its finite per-update values with steps in
    /// `(x - window, x]`, or, with no window or no update in it, its curve interpolated at
    /// `x`. The standard error is then taken across runs, so a window smooths each run's
    /// noise without hiding the spread between seeds.
    ///
    /// A target beyond a run's last update by more than that update's steps (a budget of 1e7
    /// steps ends on the last whole update before it) is an error naming the run and its
    /// length; targets within the runs are reported at most at the end of the steps every
    /// run's finite curve covers, and targets before the first value at the common start.
    public static func points(_ runs: [RunFile.Contents], curve: String, at targets: [Double]? = nil,
                              window: Double = 0, labels: [String]) throws -> [CurvePoint] {
        let series = try finiteSeries(runs, curve: curve, labels: labels)
        let (start, end) = try commonRange(series, curve: curve)
        for (index, run) in runs.enumerated() {
            // The run's length, not its curve's last finite value: HalfCheetah's episodes all
            // end every 64,000 steps, so its return curve stops short of a run that is not.
            let steps = run.curves.map(\.envSteps)
            let length = Double(steps.last ?? 0)
            let lastUpdate = steps.count > 1 ? Double(steps[steps.count - 1] - steps[steps.count - 2]) : 0
            if let beyond = targets?.first(where: { $0 > length + lastUpdate }) {
                throw AnalysisError.invalidFile(path: labels[index], reason: String(
                    format: "step %.6g is beyond the run's end at %.0f steps (%d updates)", beyond, length, steps.count))
            }
        }
        return (targets ?? [end]).map { target in
            let x = min(max(target, start), end)
            let perRun = series.map { points -> Double in
                let inWindow = window > 0 ? points.filter { $0.x > x - window && $0.x <= x + 1e-9 } : []
                return inWindow.isEmpty ? interpolate(points, at: x)! : inWindow.map(\.y).reduce(0, +) / Double(inWindow.count)
            }
            let summary = acrossRuns(perRun)
            return CurvePoint(envSteps: x, mean: summary.mean, standardError: summary.standardError, runs: summary.count)
        }
    }
}
