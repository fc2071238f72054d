import Foundation
import Training

/// Runs a sweep on this machine: `workers` threads each take the next run from the list,
/// train it with `executor` (one core per run) and take another, until the list is done or
/// `shouldStop()` says so; then every active run has written a checkpoint.
public struct SweepRunner: Sendable {
    public var executor: RunExecutor

    public init(executor: RunExecutor) { self.executor = executor }

    /// Trains the runs that need it and returns every run's outcome. `events` is called from
    /// the worker threads.
    public func run(_ runs: [PlannedRun], workers: Int, shouldStop: @escaping @Sendable () -> Bool,
                    events: @escaping @Sendable (SweepEvent) -> Void) -> SweepResult {
        let queue = RunQueue(count: runs.count), ledger = SweepLedger(count: runs.count)
        let group = startWorkers(workers, runs: runs, queue: queue, ledger: ledger, shouldStop: shouldStop, events: events)
        group.wait()
        return ledger.snapshot
    }

    /// Starts `count` worker threads on a shared queue; the group is left when all are done.
    func startWorkers(_ count: Int, runs: [PlannedRun], queue: RunQueue, ledger: SweepLedger,
                      shouldStop: @escaping @Sendable () -> Bool, events: @escaping @Sendable (SweepEvent) -> Void) -> DispatchGroup {
        let group = DispatchGroup()
        for worker in 0..<count {
            group.enter()
            let thread = Thread { [executor] in
                while !shouldStop(), let index = queue.take() {
                    events(.started(run: index, worker: "local \(worker)"))
                    Self.execute(runs[index], index: index, executor: executor, ledger: ledger,
                                 shouldStop: shouldStop, events: events)
                }
                group.leave()
            }
            // At least the main thread's usual 8 MB: Foundation's default for other threads can be
            // smaller, and a run should not depend on which thread trains it.
            thread.stackSize = 16 << 20
            thread.start()
        }
        return group
    }

    /// Executes one run and records its outcome or failure.
    static func execute(_ run: PlannedRun, index: Int, executor: RunExecutor, ledger: SweepLedger,
                        shouldStop: () -> Bool, events: (SweepEvent) -> Void) {
        let total = run.description.config.numUpdates
        do {
            let outcome = try executor.execute(run, shouldStop: shouldStop) { metrics in
                events(.progress(run: index, update: metrics.update, total: total))
            }
            ledger.record(index, outcome)
            events(.finished(run: index, outcome: outcome))
        } catch {
            ledger.fail(index, "\(run.path): \(error)")
            events(.failed(run: index, message: "\(run.path): \(error)"))
        }
    }
}
