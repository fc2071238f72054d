import Foundation
import Training

/// What one run scores, for comparisons over seeds and tasks (`driftlab runs compare`).
public enum ScoreMetric: String, CaseIterable, Sendable, Codable {
    /// Mean of the finite `episode_return` values over the run's last updates
    /// (`finalFraction` of them, at least one): the return the run ended with, with
    /// per-update noise averaged out.
    case finalReturn = "final-return"
    /// The last finite `eval_return` (the last evaluation of the deterministic policy).
    case finalEval = "final-eval"
    /// Area under the `episode_return` curve divided by its span of environment steps
    /// (trapezoids between finite values): the mean return over training, rewarding speed.
    case auc

    /// The score of `run`; errors name `path` and say what is missing.
    public func score(of run: RunFile.Contents, path: String, finalFraction: Double = 0.05) throws -> Double {
        precondition(finalFraction > 0 && finalFraction <= 1, "final fraction \(finalFraction) is not in (0, 1]")
        switch self {
        case .finalReturn:
            let count = max(1, Int((Double(run.curves.count) * finalFraction).rounded()))
            let values = run.curves.suffix(count).map(\.episodeReturn).filter(\.isFinite)
            guard !values.isEmpty else {
                throw AnalysisError.invalidFile(path: path, reason: "no episode finished in the last \(count) of \(run.curves.count) updates, so it has no final return")
            }
            return values.reduce(0, +) / Double(values.count)
        case .finalEval:
            guard let last = run.curves.last(where: { $0.evalReturn.isFinite }) else {
                throw AnalysisError.invalidFile(path: path, reason: "no evaluation in eval_return (train with evaluation on, or use --metric final-return)")
            }
            return last.evalReturn
        case .auc:
            let points = run.curves.filter(\.episodeReturn.isFinite).map { (x: Double($0.envSteps), y: $0.episodeReturn) }
            guard let first = points.first, let last = points.last else {
                throw AnalysisError.invalidFile(path: path, reason: "episode_return has no finite values, so it has no area")
            }
            guard last.x > first.x else { return first.y }
            var area = 0.0
            for (a, b) in zip(points, points.dropFirst()) { area += (b.x - a.x) * (a.y + b.y) / 2 }
            return area / (last.x - first.x)
        }
    }
}
