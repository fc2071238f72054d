/// Stands in for a drift stored in a file under a kind this program has not registered (a
/// drift defined in another package): the run's curves, description and policy still read,
/// but the drift itself cannot be rebuilt. It evaluates to NaN, so it can never pass for a
/// real drift, and `TrainingRun.resume` refuses it with an error naming the kind.
public struct UnregisteredDrift: Drift, Equatable {
    public let kind: DriftKind
    /// The summary the file recorded for the drift, if any.
    public let recordedSummary: String?

    public init(kind: DriftKind, recordedSummary: String? = nil) {
        self.kind = kind
        self.recordedSummary = recordedSummary
    }

    public var summary: String {
        "unregistered drift kind '\(kind.rawValue)'" + (recordedSummary.map { " (\($0))" } ?? "")
    }

    public func evaluate(ratio: Float, advantage: Float, progress: Float) -> (f: Float, dfdr: Float) { (.nan, .nan) }
}
