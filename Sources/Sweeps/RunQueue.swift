import Foundation

/// The runs of a sweep not yet handed out, in order, shared by every worker thread (and, on
/// MPI rank 0, by the coordinator serving the other ranks).
final class RunQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next run's index, or nil when every run has been handed out.
    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// Outcomes collected from parallel workers.
final class SweepLedger: @unchecked Sendable {
    private let lock = NSLock()
    private var result: SweepResult

    init(count: Int) { result = SweepResult(outcomes: Array(repeating: nil, count: count), failures: []) }

    func record(_ run: Int, _ outcome: RunOutcome) { lock.lock(); result.outcomes[run] = outcome; lock.unlock() }
    func fail(_ run: Int, _ message: String) { lock.lock(); result.failures.append((run, message)); lock.unlock() }

    /// The outcomes so far, failures in run order.
    var snapshot: SweepResult {
        lock.lock(); defer { lock.unlock() }
        var r = result
        r.failures.sort { $0.run < $1.run }
        return r
    }
}
