/// Named scalar metrics of a loss, in the order they were recorded (Brax's metrics
/// dictionary): the loss records what it measured, the trainer adds the shards together and
/// averages each over the update's minibatches, and the run file writes each as a curve
/// under its name. A new curve is one `record` line in `Trainer.loss`.
public struct LossMetrics: Sendable, Equatable {
    /// The names, in recording order.
    public private(set) var names: [String] = []
    /// The values, `values[k]` named `names[k]`.
    public private(set) var values: [Float] = []

    public init() {}

    /// Records `value` under `name` (a name recorded twice keeps the later value).
    public mutating func record(_ name: String, _ value: Float) {
        if let k = names.firstIndex(of: name) {
            values[k] = value
        } else {
            names.append(name)
            values.append(value)
        }
    }

    /// The value named `name`, if recorded.
    public subscript(name: String) -> Float? { names.firstIndex(of: name).map { values[$0] } }

    /// Adds `other`'s values name by name (shards of one minibatch, which record the same
    /// names in the same order; a name only `other` has is appended).
    public mutating func add(_ other: LossMetrics) {
        for (name, value) in zip(other.names, other.values) {
            // 0 + value, as a sum from zero would give (turns -0 into +0).
            if let k = names.firstIndex(of: name) { values[k] += value } else { record(name, 0 + value) }
        }
    }
}

extension LossMetrics {
    /// Running sums of metrics over the minibatches of an update, in double precision.
    struct Sums {
        private var names: [String] = []
        private var totals: [Double] = []
        private var count = 0.0

        /// Adds one minibatch's metrics.
        mutating func add(_ metrics: LossMetrics) {
            count += 1
            for (name, value) in zip(metrics.names, metrics.values) {
                if let k = names.firstIndex(of: name) {
                    totals[k] += Double(value)
                } else {
                    names.append(name)
                    totals.append(0 + Double(value)) // a sum from zero (-0 becomes +0)
                }
            }
        }

        /// Each metric's mean over the minibatches added.
        var means: [(name: String, mean: Double)] {
            zip(names, totals).map { ($0, $1 / max(count, 1)) }
        }
    }
}
