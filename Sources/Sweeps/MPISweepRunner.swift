import Foundation
import MetaTraining
import Training

/// Runs a sweep over the ranks of an `mpirun` job. Rank 0 is the coordinator: it holds the
/// run list and hands out the next run to whichever rank asks (dynamic scheduling, so ranks
/// that drew short runs take more), while `localWorkers` threads of its own train runs from
/// the same list. Every other rank trains one run at a time and asks for the next. Every rank
/// writes its run files itself, with the same `RunExecutor` as a local sweep, so the files
/// are a local sweep's (the out-dir must be on a filesystem every rank sees).
///
/// Only rank 0's main thread and the other ranks' main threads call MPI. A rank that dies
/// takes the job with it (Open MPI aborts every rank when one exits abnormally): the runs
/// that were active keep their last checkpoint, and running the same command again skips
/// the finished runs and resumes the rest.
public struct MPISweepRunner {
    public var executor: RunExecutor
    public let communicator: MPICommunicator

    /// Message tags of the protocol.
    enum Tag: Int {
        case request = 1, assign, finish, progress, result, bye
    }

    struct Assignment: Codable { var index: Int; var run: PlannedRun }
    struct Progress: Codable { var index: Int; var update: Int; var total: Int }
    struct Report: Codable { var index: Int; var outcome: RunOutcome?; var failure: String? }

    public init(executor: RunExecutor, communicator: MPICommunicator) {
        self.executor = executor
        self.communicator = communicator
    }

    /// Rank 0: serves the other ranks and trains with `localWorkers` threads until every
    /// run is done (or a stop is requested and every rank has checkpointed); returns every
    /// run's outcome. Events are called from rank 0's threads only.
    public func coordinate(_ runs: [PlannedRun], localWorkers: Int, shouldStop: @escaping @Sendable () -> Bool,
                           events: @escaping @Sendable (SweepEvent) -> Void) throws -> SweepResult {
        let queue = RunQueue(count: runs.count), ledger = SweepLedger(count: runs.count)
        let local = SweepRunner(executor: executor).startWorkers(localWorkers, runs: runs, queue: queue, ledger: ledger,
                                                                 shouldStop: shouldStop, events: events)
        var ranksLeft = communicator.size - 1
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        while ranksLeft > 0 {
            guard let envelope = try communicator.poll() else {
                usleep(20_000) // nothing to do: idle briefly instead of spinning a core
                continue
            }
            let data = try communicator.receive(envelope)
            switch Tag(rawValue: envelope.tag) {
            case .request:
                if !shouldStop(), let index = queue.take() {
                    try communicator.send(try encoder.encode(Assignment(index: index, run: runs[index])),
                                          to: envelope.source, tag: Tag.assign.rawValue)
                    events(.started(run: index, worker: "rank \(envelope.source)"))
                } else {
                    try communicator.send(Data(), to: envelope.source, tag: Tag.finish.rawValue)
                }
            case .progress:
                let p = try decoder.decode(Progress.self, from: data)
                events(.progress(run: p.index, update: p.update, total: p.total))
            case .result:
                let r = try decoder.decode(Report.self, from: data)
                if let outcome = r.outcome {
                    ledger.record(r.index, outcome)
                    events(.finished(run: r.index, outcome: outcome))
                } else {
                    let message = "rank \(envelope.source): \(r.failure ?? "failed")"
                    ledger.fail(r.index, message)
                    events(.failed(run: r.index, message: message))
                }
            case .bye:
                ranksLeft -= 1
            case .assign, .finish, nil:
                throw SweepError.mpi("rank 0 got a message with unexpected tag \(envelope.tag) from rank \(envelope.source)")
            }
        }
        local.wait()
        return ledger.snapshot
    }

    /// Ranks 1...: asks rank 0 for a run, trains it, reports, and asks again, until rank 0
    /// has no more runs or a stop is requested (the active run then checkpoints first).
    public func serve(shouldStop: @escaping @Sendable () -> Bool) throws {
        let decoder = JSONDecoder(), encoder = JSONEncoder()
        while !shouldStop() {
            try communicator.send(Data(), to: 0, tag: Tag.request.rawValue)
            let envelope = try communicator.wait(from: 0)
            let data = try communicator.receive(envelope)
            guard envelope.tag == Tag.assign.rawValue else { break }
            let assignment = try decoder.decode(Assignment.self, from: data)
            let total = assignment.run.description.config.numUpdates
            var lastSent = Date.distantPast
            var report = Report(index: assignment.index, outcome: nil, failure: nil)
            var sendError: (any Error)?
            do {
                report.outcome = try executor.execute(assignment.run, shouldStop: shouldStop) { metrics in
                    // Progress at most every 2 s: rank 0 only needs it for the sweep's ETA.
                    guard Date().timeIntervalSince(lastSent) >= 2 || metrics.update == total else { return }
                    lastSent = Date()
                    let progress = Progress(index: assignment.index, update: metrics.update, total: total)
                    do { try communicator.send(try encoder.encode(progress), to: 0, tag: Tag.progress.rawValue) } catch {
                        sendError = error
                    }
                }
            } catch {
                report.failure = "\(assignment.run.path): \(error)"
            }
            if let sendError { throw sendError }
            try communicator.send(try encoder.encode(report), to: 0, tag: Tag.result.rawValue)
        }
        try communicator.send(Data(), to: 0, tag: Tag.bye.rawValue)
    }
}
