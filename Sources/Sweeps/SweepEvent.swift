/// What a sweep reports while it runs, from whichever thread or rank did the work. `run` is
/// the index in the sweep's run list.
public enum SweepEvent: Sendable, Equatable {
    /// A worker (`"local 2"`, `"rank 5"`) took the run.
    case started(run: Int, worker: String)
    /// The run finished update `update` of `total`.
    case progress(run: Int, update: Int, total: Int)
    /// The run ended: skipped, trained to the end, or stopped with a checkpoint.
    case finished(run: Int, outcome: RunOutcome)
    /// The run threw; the sweep goes on with the others.
    case failed(run: Int, message: String)
}

/// The outcome of every run of a sweep.
public struct SweepResult: Sendable, Equatable {
    /// Per run, in the order of the run list: nil for runs never started (after a stop).
    public var outcomes: [RunOutcome?]
    /// Runs that threw, with the error's message.
    public var failures: [(run: Int, message: String)]

    public static func == (a: SweepResult, b: SweepResult) -> Bool {
        a.outcomes == b.outcomes && a.failures.map(\.run) == b.failures.map(\.run) && a.failures.map(\.message) == b.failures.map(\.message)
    }

    /// Updates trained in this call over all runs (0 for a finished sweep run again).
    public var updatesTrained: Int {
        outcomes.reduce(0) { sum, o in if case .trained(let u, _)? = o { sum + u } else { sum } }
    }
    /// Runs whose file was complete before the call.
    public var skipped: Int { outcomes.filter { if case .skipped? = $0 { true } else { false } }.count }
}
