import Drifts
import Foundation
import Storage
import Training

/// What became of one run of a sweep.
public enum RunOutcome: Sendable, Codable, Equatable {
    /// The file already held the complete run: nothing was trained.
    case skipped(finalEvalReturn: Double)
    /// Trained to the end: `updates` of them in this call (fewer than the run's total when
    /// it resumed from a checkpoint).
    case trained(updates: Int, finalEvalReturn: Double)
    /// Stopped on request after `atUpdate` updates, with a checkpoint written.
    case stopped(atUpdate: Int)

    /// The final evaluation return of a finished run, NaN for a stopped one.
    public var finalEvalReturn: Double {
        switch self {
        case .skipped(let r), .trained(_, let r): r
        case .stopped: .nan
        }
    }
}

/// The resume-or-skip policy shared by `driftlab train --seeds` and `driftlab sweep`: a run
/// whose file is complete is only read back (compacted or not), a partial one continues from
/// its checkpoint, a missing one starts; a file that holds another run is an error, never
/// overwritten.
public struct RunExecutor: Sendable {
    /// Provenance attributes written into new and resumed run files.
    public var provenance: [String: String]
    /// Cores stepping each run's environments (1 when runs are the parallel unit).
    public var parallelism: Int
    /// Compact finished runs (drop their resume state, as `driftlab runs compact` does).
    public var compactsFinishedRuns: Bool

    public init(provenance: [String: String], parallelism: Int = 1, compactsFinishedRuns: Bool) {
        self.provenance = provenance
        self.parallelism = parallelism
        self.compactsFinishedRuns = compactsFinishedRuns
    }

    /// Trains `run` as far as it still needs. `shouldStop` is checked between updates (a stop
    /// writes a checkpoint); `report` gets each update's metrics.
    public func execute(_ run: PlannedRun, shouldStop: () -> Bool = { false },
                        report: (UpdateMetrics) -> Void = { _ in }) throws -> RunOutcome {
        let record = try RunRecord.read(run.url)
        if let stored = record.description, stored != run.description {
            throw SweepError.differentRun(path: run.path, reason: Self.difference(stored, run.description))
        }
        if record.description != nil, let change = Self.driftChange(of: run) {
            throw SweepError.driftChanged(path: run.path, reason: change)
        }
        if record.isComplete {
            // A finished run is never retrained; it is only compacted if asked and not yet.
            if compactsFinishedRuns && record.hasResumeState { _ = try RunFile.compact(run.url) }
            return .skipped(finalEvalReturn: record.finalEvalReturn)
        }
        try FileManager.default.createDirectory(at: run.url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let training: TrainingRun
        if case .partial = record.state {
            training = try TrainingRun.resume(from: run.url, provenance: provenance, parallelism: parallelism)
        } else {
            let drift = try run.description.driftSpec().makeDrift()
            training = try TrainingRun(description: run.description, drift: drift, url: run.url,
                                       provenance: provenance, parallelism: parallelism)
        }
        let start = training.trainer.updatesDone
        try training.run(shouldStop: shouldStop, report: report)
        guard training.isComplete else { return .stopped(atUpdate: training.trainer.updatesDone) }
        if compactsFinishedRuns { _ = try RunFile.compact(run.url) }
        return .trained(updates: training.trainer.updatesDone - start,
                        finalEvalReturn: training.curves.last?.evalReturn ?? .nan)
    }

    /// Why the run file at `run.url` no longer matches the drift file its spec names, or nil
    /// when it does (or the spec is not a file, or either drift cannot be read: those cases
    /// fail where the drift is used, with their own errors). Descriptions store a drift file's
    /// path, not its contents, so this catches runs trained with an earlier `data/lpo.h5`.
    static func driftChange(of run: PlannedRun) -> String? {
        guard case .file(let path)? = try? run.description.driftSpec(),
              FileManager.default.fileExists(atPath: path),
              let current = try? DriftFile.read(from: URL(fileURLWithPath: path)),
              let stored = try? DriftFile.read(from: HDF5File.open(run.url).root, path: run.url.path) else { return nil }
        if DriftIdentity.same(current, stored) { return nil }
        let what = stored.summary == current.summary ? "the same architecture with other weights (\(stored.summary))"
            : "\(stored.summary) in the run file, \(current.summary) in '\(path)'"
        return "it was trained with another drift than '\(path)' holds now: \(what)"
    }

    /// The first field in which two descriptions differ, for the error message.
    static func difference(_ stored: RunDescription, _ wanted: RunDescription) -> String {
        func field(_ name: String, _ a: String, _ b: String) -> String? { a == b ? nil : "\(name) \(a) in the file, \(b) in the sweep" }
        let config: String? = stored.config == wanted.config ? nil : {
            let a = Mirror(reflecting: stored.config).children, b = Mirror(reflecting: wanted.config).children
            for (x, y) in zip(a, b) where "\(x.value)" != "\(y.value)" {
                return "\(x.label ?? "?") \(x.value) in the file, \(y.value) in the sweep"
            }
            return "configurations differ"
        }()
        return field("env", stored.env, wanted.env) ?? field("drift", stored.drift, wanted.drift)
            ?? field("preset", stored.preset, wanted.preset) ?? field("seed", "\(stored.seed)", "\(wanted.seed)")
            ?? field("convention", stored.convention, wanted.convention)
            ?? field("saveRolloutsEvery", "\(stored.saveRolloutsEvery)", "\(wanted.saveRolloutsEvery)")
            ?? config ?? "descriptions differ"
    }
}
