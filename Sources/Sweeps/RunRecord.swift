import Foundation
import Storage
import Training

/// What a sweep needs to know about a run file without loading its checkpoint: the run it
/// holds, whether it is complete, how far it got, and its final evaluation return. Reading
/// a few attributes and three curves keeps `sweep status` and the skipping of finished runs
/// fast (milliseconds per file) even for Brax runs whose resume state is megabytes.
public struct RunRecord: Sendable, Equatable {
    /// Where a run stands.
    public enum State: Sendable, Equatable {
        /// No run file yet.
        case missing
        /// Trained `updates` of `totalUpdates` updates (`envSteps` steps), resumable from there.
        case partial(updates: Int, totalUpdates: Int, envSteps: Int)
        /// Every update done.
        case complete(updates: Int, envSteps: Int)
    }

    public var state: State
    /// The description stored in the file (nil when missing).
    public var description: RunDescription?
    /// The evaluation return after the last update (complete runs; NaN otherwise).
    public var finalEvalReturn: Double
    /// Whether the file still holds its resume state (`/checkpoints`); false once compacted.
    public var hasResumeState = false
    /// Wall-clock seconds the updates took, from each update's steps and steps per second
    /// (evaluations excluded; 0 when missing): the run's compute when it had a core to itself.
    public var trainingSeconds = 0.0

    /// Reads the record of the run file at `url` (`.missing` if there is none).
    public static func read(_ url: URL) throws -> RunRecord {
        guard FileManager.default.fileExists(atPath: url.path) else {
            return RunRecord(state: .missing, description: nil, finalEvalReturn: .nan)
        }
        let file = try HDF5File.open(url)
        let root = try file.root
        let description = try RunFile.readDescription(root, path: url.path)
        let updates = try root.read("curves/update", as: Double.self).values.count
        let stepCurve = try root.read("curves/env_steps", as: Double.self).values
        let steps = stepCurve.last.map { Int($0) } ?? 0
        let rates = try root.contains("curves/steps_per_second") ? try root.read("curves/steps_per_second", as: Double.self).values : []
        let seconds = trainingSeconds(envSteps: stepCurve, stepsPerSecond: rates)
        let resumable = try root.contains("checkpoints/latest")
        let complete = try root.hasAttribute("status") && root.attribute("status", as: String.self) == "complete"
        if complete {
            let eval = try root.contains("curves/eval_return") ? try root.read("curves/eval_return", as: Double.self).values.last : nil
            return RunRecord(state: .complete(updates: updates, envSteps: steps), description: description,
                             finalEvalReturn: eval ?? .nan, hasResumeState: resumable, trainingSeconds: seconds)
        }
        return RunRecord(state: .partial(updates: updates, totalUpdates: description.config.numUpdates, envSteps: steps),
                         description: description, finalEvalReturn: .nan, hasResumeState: resumable, trainingSeconds: seconds)
    }

    /// The sum of each update's steps over its rate; updates without a finite positive rate
    /// (or curves of different lengths) count nothing.
    static func trainingSeconds(envSteps: [Double], stepsPerSecond: [Double]) -> Double {
        guard envSteps.count == stepsPerSecond.count else { return 0 }
        var total = 0.0, previous = 0.0
        for (steps, rate) in zip(envSteps, stepsPerSecond) {
            if rate.isFinite && rate > 0 && steps > previous { total += (steps - previous) / rate }
            previous = steps
        }
        return total
    }

    public var isComplete: Bool { if case .complete = state { true } else { false } }
}
