import Foundation
import Tensors

/// The runs of a sweep not yet handed out, in order, shared by every worker thread (and, on
/// MPI rank 0, by the coordinator serving the other ranks).
final class RunQueue: Sendable {
    private let next = LockedValue(0)
    private let count: Int

    init(count: Int) { self.count = count }

    /// The next run's index, or nil when every run has been handed out.
    func take() -> Int? {
        next.withValue { next in
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }
}

/// Outcomes collected from parallel workers.
final class SweepLedger: Sendable {
    private let result: LockedValue<SweepResult>

    init(count: Int) { result = LockedValue(SweepResult(outcomes: Array(repeating: nil, count: count), failures: [])) }

    func record(_ run: Int, _ outcome: RunOutcome) { result.withValue { $0.outcomes[run] = outcome } }
    func fail(_ run: Int, _ message: String) { result.withValue { $0.failures.append((run, message)) } }

    /// The outcomes so far, failures in run order.
    var snapshot: SweepResult {
        var r = result.current
        r.failures.sort { $0.run < $1.run }
        return r
    }
}
