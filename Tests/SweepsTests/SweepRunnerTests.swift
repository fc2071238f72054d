import Drifts
import Foundation
@testable import Sweeps
import Testing
import TestSupport
import Training

@Suite struct SweepRunnerTests {
    /// Two tiny CartPole runs (2 updates each) per drift, PPO unless `drifts` names others (TOML lines).
    func plan(in dir: URL, drifts: String = #"ppo = "ppo""#) throws -> SweepPlan {
        try SweepPlan(parsing: """
            out-dir = "\(dir.path)"
            envs = ["cartpole"]
            seeds = "0-1"
            [drifts]
            \(drifts)
            [settings]
            numEnvs = 2
            rolloutSteps = 16
            minibatches = 2
            evalEpisodes = 2
            steps = 64
            """, path: "tiny.toml")
    }

    @Test func trainsMissingRunsThenSkipsThemAndReportsStatus() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try plan(in: dir)
        let runs = try plan.runs()
        let runner = SweepRunner(executor: RunExecutor(provenance: [:], compactsFinishedRuns: true))
        let events = EventLog()
        let first = runner.run(runs, workers: 2, shouldStop: { false }, events: events.add)
        #expect(first.failures.isEmpty && first.updatesTrained == 4 && first.skipped == 0)
        #expect(events.count { if case .progress = $0 { true } else { false } } == 4)
        let again = runner.run(runs, workers: 2, shouldStop: { false }, events: { _ in })
        #expect(again.updatesTrained == 0 && again.skipped == 2)
        #expect(again.outcomes.map { $0?.finalEvalReturn } == first.outcomes.map { $0?.finalEvalReturn })

        let status = try SweepStatus.read(plan, runs: runs)
        #expect(status.rows.count == 1 && status.rows[0].complete == [0, 1] && status.rows[0].missing.isEmpty)
        #expect(status.rows[0].evalReturnCount == 2)
        // Training time: the sum over both runs, each the sum of its updates' steps over their rates.
        let seconds = try runs.map { try RunRecord.read($0.url).trainingSeconds }
        #expect(seconds.allSatisfy { $0 > 0 } && abs(status.rows[0].trainingSeconds - seconds.reduce(0, +)) < 1e-12)
        #expect(abs(status.rows[0].secondsPerCompleteRun - seconds.reduce(0, +) / 2) < 1e-12)
        #expect(status.table.contains("time/run") && status.table.contains("wall time of training so far"), "\(status.table)")
        // The same files against a sweep with another learning rate: different runs, not complete ones.
        let other = try SweepStatus.read(plan, runs: plan.runs(extra: [.init(key: "learningRate", value: "0.01")]))
        #expect(other.rows[0].complete.isEmpty && other.rows[0].different.count == 2 && other.differentCount == 2)
        #expect(other.rows[0].different[0].contains("learningRate 0.00025 in the file, 0.01 in the sweep"), "\(other.rows[0].different)")
        let record = try RunRecord.read(runs[0].url)
        #expect(record.state == .complete(updates: 2, envSteps: 64) && !record.hasResumeState, "compacted")
    }

    @Test func aStoppedRunIsPartialAndAFileOfAnotherRunIsRefused() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let runs = try plan(in: dir).runs()
        let executor = RunExecutor(provenance: [:], compactsFinishedRuns: true)
        // Stop after the first update: a checkpoint is written at the stop.
        var seen = 0
        let outcome = try executor.execute(runs[1], shouldStop: { seen >= 1 }, report: { _ in seen += 1 })
        #expect(outcome == .stopped(atUpdate: 1))
        #expect(try RunRecord.read(runs[1].url).state == .partial(updates: 1, totalUpdates: 2, envSteps: 32))
        // Resumes from the checkpoint: one update left.
        #expect(try executor.execute(runs[1]).finalEvalReturn.isFinite)
        #expect(try RunRecord.read(runs[1].url).state == .complete(updates: 2, envSteps: 64))

        var other = runs[1]
        other.description.config.learningRate = 0.5
        #expect {
            try executor.execute(other)
        } throws: { error in
            "\(error)".contains("holds a different run (learningRate 0.00025 in the file, 0.5 in the sweep)")
        }
    }

    @Test func trainingSecondsAddEachUpdatesStepsOverItsRate() {
        #expect(RunRecord.trainingSeconds(envSteps: [100, 200, 400], stepsPerSecond: [50, 100, 100]) == 5)
        // Updates without a usable rate count nothing; mismatched curves give 0.
        #expect(RunRecord.trainingSeconds(envSteps: [100, 200, 300], stepsPerSecond: [50, .nan, 0]) == 2)
        #expect(RunRecord.trainingSeconds(envSteps: [100, 200], stepsPerSecond: [50]) == 0)
        #expect(SweepStatus.duration(42) == "42 s" && SweepStatus.duration(600) == "10.0 min" && SweepStatus.duration(9000) == "2.50 h")
    }

    @Test func statusColumnsStayAlignedWithLongLabels() {
        let cells = [["env", "drift", "complete"], ["breakout", "lpo-breakout-s0.1", "10/10 0-9"], ["freeway", "ppo", "3/10 0-2"]]
        let widths = SweepStatus.columnWidths(cells.map { $0 + ["", "", "", ""] })
        let lines = cells.map { SweepStatus.pad($0, widths: widths) }
        // Every row's third cell starts at the same column, past the longest label.
        let starts = zip(lines, cells).map { line, row in line.range(of: row[2])!.lowerBound.utf16Offset(in: line) }
        #expect(Set(starts).count == 1 && starts[0] >= "breakout".count + 2 + "lpo-breakout-s0.1".count, "\(lines)")
    }

    /// A run file stores its drift file's path; when the file is replaced by another drift
    /// (a new `data/lpo.h5`), runs trained with the old one are refused, not skipped as done.
    @Test func runsOfAnEarlierDriftFileAreRefusedUntilTheFileHoldsTheirDriftAgain() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let driftURL = dir.appendingPathComponent("lpo.h5")
        try DriftFile.write(DPODrift(alpha: 2, beta: 0.6), to: driftURL)
        let plan = try plan(in: dir, drifts: "lpo = \"\(driftURL.path)\"")
        let runs = try plan.runs()
        let executor = RunExecutor(provenance: [:], compactsFinishedRuns: true)
        _ = try executor.execute(runs[0])
        var seen = 0
        #expect(try executor.execute(runs[1], shouldStop: { seen >= 1 }, report: { _ in seen += 1 }) == .stopped(atUpdate: 1))
        #expect(try SweepStatus.read(plan, runs: runs).differentCount == 0)

        try DriftFile.write(DPODrift(alpha: 2.5, beta: 0.6), to: driftURL)
        for run in runs {  // the complete run and the partial one alike
            #expect {
                try executor.execute(run)
            } throws: { error in
                "\(error)".contains("'\(run.path)': it was trained with another drift than '\(driftURL.path)' holds now")
                    && "\(error)".contains("move the run away to retrain it")
            }
        }
        let status = try SweepStatus.read(plan, runs: runs)
        #expect(status.differentCount == 2 && status.completeCount == 0 && status.partialCount == 0, "\(status.table)")

        // The same drift written again (a new file, the same function) is the run's drift.
        try DriftFile.write(DPODrift(alpha: 2, beta: 0.6), to: driftURL)
        #expect(try SweepStatus.read(plan, runs: runs).differentCount == 0)
        #expect(try executor.execute(runs[0]) == .skipped(finalEvalReturn: try RunRecord.read(runs[0].url).finalEvalReturn))
        #expect(try executor.execute(runs[1]).finalEvalReturn.isFinite)
    }
}

/// Events collected from worker threads.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SweepEvent] = []
    func add(_ e: SweepEvent) { lock.lock(); events.append(e); lock.unlock() }
    func count(where match: (SweepEvent) -> Bool) -> Int { lock.lock(); defer { lock.unlock() }; return events.filter(match).count }
}
