import Foundation

/// How raw per-run scores become comparable across tasks before they are aggregated.
public enum ScoreNormalization: Sendable, Equatable {
    /// Raw scores (meaningful across tasks only when every task has the same scale).
    case none
    /// `(x − low) / (high − low)` with a range per task (e.g. random and target scores).
    case ranges([String: ClosedRange<Double>])
    /// `(x − low) / (mean(reference) − low)`: the reference label's mean on the task scores 1
    /// and `low` (a baseline such as a random policy's score; 0 for a task not in `low`) 0.
    case reference(label: String, low: [String: Double])

    /// A short description for reports (`none`, `ranges`, `reference:ppo`).
    public var summary: String {
        switch self {
        case .none: return "none"
        case .ranges: return "ranges"
        case .reference(let label, _): return "reference:\(label)"
        }
    }

    /// Normalises `scores[label][task]` (`labels` × `tasks` × runs); errors name the task.
    public func apply(_ scores: [[[Double]]], labels: [String], tasks: [String]) throws -> [[[Double]]] {
        switch self {
        case .none:
            return scores
        case .ranges(let ranges):
            let missing = tasks.filter { ranges[$0] == nil }
            guard missing.isEmpty else {
                throw AnalysisError.invalidInput("no --range for task" + (missing.count > 1 ? "s " : " ")
                                                 + missing.joined(separator: ", ") + " (give TASK=LOW:HIGH for every task)")
            }
            return scores.map { perTask in
                zip(perTask, tasks).map { runs, task in
                    let range = ranges[task]!
                    return runs.map { ($0 - range.lowerBound) / (range.upperBound - range.lowerBound) }
                }
            }
        case .reference(let label, let low):
            guard let index = labels.firstIndex(of: label) else {
                throw AnalysisError.invalidInput("--reference '\(label)' is not one of the labels: " + labels.joined(separator: ", "))
            }
            var scale: [Double] = []
            for (t, task) in tasks.enumerated() {
                let base = low[task] ?? 0
                let span = AggregateStatistic.mean(scores[index][t]) - base
                guard span > 0, span.isFinite else {
                    throw AnalysisError.invalidInput(String(format: "task %@: the reference %@ scores %.6g on average, not above the baseline %.6g; give --baseline %@=SCORE below it, or normalise by ranges",
                                                            task, label, span + base, base, task))
                }
                scale.append(span)
            }
            return scores.map { perTask in
                perTask.enumerated().map { t, runs in runs.map { ($0 - (low[tasks[t]] ?? 0)) / scale[t] } }
            }
        }
    }
}
