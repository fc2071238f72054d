import Foundation

/// A comparison of algorithms (labels) over tasks and seeds with the statistics of
/// Agarwal et al. 2021 (rliable): per task mean, standard error, median and IQM; across
/// tasks, on normalised scores, IQM, median, mean and optimality gap with stratified
/// bootstrap percentile intervals; the probability of improvement of every ordered pair of
/// labels; and performance profiles with bootstrap bands.
///
/// Every label is compared on the same tasks; `ScoreComparison.Input` keeps only the tasks
/// every label has.
public struct ScoreComparison: Sendable, Encodable {
    /// Labelled scores: `raw[label][task]` holds one score per run.
    public struct Input: Sendable {
        public var labels: [String]
        public var tasks: [String]
        /// `[labels][tasks][runs]`.
        public var raw: [[[Double]]]
        /// (label, task) pairs that had runs but were dropped because another label lacks the task.
        public var dropped: [(label: String, task: String)]

        /// Builds the input from `(label, task, score)` triples; labels and tasks keep their
        /// first-seen order. Tasks that not every label has are dropped (see `dropped`).
        public init(_ triples: [(label: String, task: String, score: Double)]) throws {
            var labels: [String] = [], allTasks: [String] = []
            var table: [String: [String: [Double]]] = [:]
            for (label, task, score) in triples {
                guard score.isFinite else { throw AnalysisError.invalidInput("\(label) on \(task): score \(score) is not finite") }
                if table[label] == nil { labels.append(label) }
                if !allTasks.contains(task) { allTasks.append(task) }
                table[label, default: [:]][task, default: []].append(score)
            }
            guard !labels.isEmpty else { throw AnalysisError.invalidInput("no scores to compare") }
            let common = allTasks.filter { task in labels.allSatisfy { table[$0]?[task] != nil } }
            guard !common.isEmpty else {
                throw AnalysisError.invalidInput("no task has runs of every label ("
                    + labels.map { "\($0): " + table[$0]!.keys.sorted().joined(separator: ", ") }.joined(separator: "; ") + ")")
            }
            self.labels = labels
            self.tasks = common
            self.raw = labels.map { label in common.map { table[label]![$0]! } }
            self.dropped = labels.flatMap { label in
                allTasks.filter { !common.contains($0) && table[label]?[$0] != nil }.map { (label: label, task: $0) }
            }
        }
    }

    /// One label's summary of one task, on raw scores.
    public struct TaskSummary: Sendable, Encodable {
        public var runs: Int
        public var mean: Double
        public var stderr: Double
        public var median: Double
        public var iqm: Double
        public var meanCI: [Double]
        public var medianCI: [Double]
        public var iqmCI: [Double]

        enum CodingKeys: String, CodingKey {
            case runs, mean, stderr, median, iqm
            case meanCI = "mean_ci", medianCI = "median_ci", iqmCI = "iqm_ci"
        }
    }

    /// One label's aggregate over all tasks, on normalised scores.
    public struct Aggregate: Sendable, Encodable {
        public var iqm: Double
        public var iqmCI: [Double]
        public var median: Double
        public var medianCI: [Double]
        public var mean: Double
        public var meanCI: [Double]
        public var optimalityGap: Double
        public var optimalityGapCI: [Double]

        enum CodingKeys: String, CodingKey {
            case iqm, median, mean
            case iqmCI = "iqm_ci", medianCI = "median_ci", meanCI = "mean_ci"
            case optimalityGap = "optimality_gap", optimalityGapCI = "optimality_gap_ci"
        }

        /// The value and interval of `statistic`.
        public func estimate(_ statistic: AggregateStatistic) -> (value: Double, ci: [Double]) {
            switch statistic {
            case .iqm: return (iqm, iqmCI)
            case .median: return (median, medianCI)
            case .mean: return (mean, meanCI)
            case .optimalityGap: return (optimalityGap, optimalityGapCI)
            }
        }
    }

    /// P(X > Y) with its interval.
    public struct Improvement: Sendable, Encodable {
        public var x: String
        public var y: String
        public var p: Double
        public var ci: [Double]
    }

    public var labels: [String]
    public var tasks: [String]
    /// Normalised per-run scores, `scores[label][task]` (raw when not normalised): the
    /// numbers the aggregates and profiles are computed from.
    public var scores: [String: [String: [Double]]]
    /// Raw per-run scores, `rawScores[label][task]`.
    public var rawScores: [String: [String: [Double]]]
    public var perTask: [String: [String: TaskSummary]]
    public var aggregate: [String: Aggregate]
    public var probabilityOfImprovement: [Improvement]
    public var performanceProfile: [String: PerformanceProfile]
    public var normalization: String
    public var reps: Int
    public var seed: UInt64
    public var confidence: Double

    enum CodingKeys: String, CodingKey {
        case labels, tasks, scores, normalization, reps, seed, confidence, aggregate
        case rawScores = "raw_scores", perTask = "per_task", probabilityOfImprovement = "probability_of_improvement"
        case performanceProfile = "performance_profile"
    }

    /// Compares the labels of `input` after `normalization`, with intervals from `bootstrap`
    /// and profiles on `profilePoints` thresholds spanning the normalised scores.
    public init(_ input: Input, normalization: ScoreNormalization = .none, bootstrap: StratifiedBootstrap,
                profilePoints: Int = 101) throws {
        let normalised = try normalization.apply(input.raw, labels: input.labels, tasks: input.tasks)
        labels = input.labels
        tasks = input.tasks
        self.normalization = normalization.summary
        reps = bootstrap.reps
        seed = bootstrap.seed
        confidence = bootstrap.confidence
        func table(_ values: [[[Double]]]) -> [String: [String: [Double]]] {
            Dictionary(uniqueKeysWithValues: zip(input.labels, values).map { label, perTask in
                (label, Dictionary(uniqueKeysWithValues: zip(input.tasks, perTask)))
            })
        }
        scores = table(normalised)
        rawScores = table(input.raw)

        let statistics = AggregateStatistic.allCases
        var perTask: [String: [String: TaskSummary]] = [:]
        var aggregate: [String: Aggregate] = [:]
        for (l, label) in labels.enumerated() {
            for (t, task) in tasks.enumerated() {
                let runs = input.raw[l][t]
                let single = [runs]
                let reps = bootstrap.replicates(single, key: "task/\(label)/\(task)",
                                                statistics: [AggregateStatistic.mean.value, AggregateStatistic.median.value,
                                                             AggregateStatistic.iqm.value])
                let (meanCI, medianCI, iqmCI) = (bootstrap.percentileInterval(reps[0]), bootstrap.percentileInterval(reps[1]),
                                                 bootstrap.percentileInterval(reps[2]))
                perTask[label, default: [:]][task] = TaskSummary(
                    runs: runs.count, mean: AggregateStatistic.mean(runs), stderr: AggregateStatistic.standardError(runs),
                    median: AggregateStatistic.median(runs), iqm: AggregateStatistic.iqm.value(single),
                    meanCI: meanCI.pair, medianCI: medianCI.pair, iqmCI: iqmCI.pair)
            }
            let values = statistics.map { $0.value(normalised[l]) }
            let replicates = bootstrap.replicates(normalised[l], key: "aggregate/\(label)", statistics: statistics.map { $0.value })
            let cis = replicates.map { bootstrap.percentileInterval($0).pair }
            aggregate[label] = Aggregate(iqm: values[0], iqmCI: cis[0], median: values[1], medianCI: cis[1],
                                         mean: values[2], meanCI: cis[2], optimalityGap: values[3], optimalityGapCI: cis[3])
        }
        self.perTask = perTask
        self.aggregate = aggregate

        var improvements: [Improvement] = []
        for (i, x) in labels.enumerated() {
            for (j, y) in labels.enumerated() where i != j {
                let p = ProbabilityOfImprovement.value(input.raw[i], input.raw[j])
                let reps = bootstrap.replicates(input.raw[i], input.raw[j], key: "improvement/\(x)/\(y)",
                                                statistic: ProbabilityOfImprovement.value)
                improvements.append(Improvement(x: x, y: y, p: p, ci: bootstrap.percentileInterval(reps).pair))
            }
        }
        probabilityOfImprovement = improvements

        // One threshold grid for every label, so the profiles can be drawn on one axis.
        let all = normalised.flatMap { $0.flatMap { $0 } }
        var (low, high) = (all.min()!, all.max()!)
        if high == low { (low, high) = (low - 0.5, high + 0.5) }
        let thresholds = PerformanceProfile.thresholds(from: low, to: high, count: max(2, profilePoints))
        performanceProfile = Dictionary(uniqueKeysWithValues: labels.enumerated().map { l, label in
            (label, PerformanceProfile(normalised[l], thresholds: thresholds, bootstrap: bootstrap, key: "profile/\(label)"))
        })
    }
}
