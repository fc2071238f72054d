import Drifts
import Foundation
import Tensors
import Testing
import TestSupport
import Training
@testable import Analysis

@Suite struct AggregateStatisticTests {
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= Tolerance.float64 }

    @Test func iqmIsTheQuarterTrimmedMeanOfAllRuns() {
        // 8 runs: floor(8/4) = 2 cut at each end, mean(3, 4, 5, 6) = 4.5.
        #expect(close(AggregateStatistic.iqm.value([[8, 1, 7, 2, 6, 3, 5, 4]]), 4.5))
        // Ties: sorted 1 1 1 2 2 9 9 9, keep 1 2 2 9, mean 3.5.
        #expect(close(AggregateStatistic.iqm.value([[9, 1, 2, 9, 1, 2, 9, 1]]), 3.5))
        // 5 runs: floor(1.25) = 1 cut at each end, mean(2, 3, 4) = 3 (the outlier 100 is gone).
        #expect(close(AggregateStatistic.iqm.value([[100, 1, 2, 3, 4]]), 3))
        // Pooled over tasks: 0 1 | 2 3 4 10, n = 6, cut 1 at each end, mean(1, 2, 3, 4) = 2.5.
        #expect(close(AggregateStatistic.iqm.value([[0, 1], [2, 3, 4, 10]]), 2.5))
        // A single run (nothing cut) and three runs (floor(0.75) = 0 cut: the plain mean).
        #expect(AggregateStatistic.iqm.value([[7]]) == 7)
        #expect(close(AggregateStatistic.iqm.value([[1, 2, 6]]), 3))
    }

    @Test func medianAndMeanAreOverPerTaskMeans() {
        // Per-task means 2, 10, 5: median 5, mean 17/3.
        let scores: [[Double]] = [[1, 3], [10], [5]]
        #expect(close(AggregateStatistic.median.value(scores), 5))
        #expect(close(AggregateStatistic.mean.value(scores), 17.0 / 3))
        // An even number of tasks with tied means: (1 + 3) / 2 = 2.
        #expect(close(AggregateStatistic.median.value([[1], [1], [3], [3]]), 2))
        #expect(AggregateStatistic.median.value([[4]]) == 4 && AggregateStatistic.mean.value([[4]]) == 4)
    }

    @Test func optimalityGapCountsOnlyTheShortfallBelowOne() {
        // min(x, 1): 0.5, 1, 0.2, 1; mean 0.675; gap 1 - 0.675 = 0.325.
        #expect(close(AggregateStatistic.optimalityGap.value([[0.5, 1.5], [0.2, 1.0]]), 0.325))
        #expect(AggregateStatistic.optimalityGap.value([[2]]) == 0)
        #expect(close(AggregateStatistic.optimalityGap.value([[-1]]), 2))
    }

    @Test func quantileInterpolatesLikeNumpy() {
        let sorted: [Double] = [1, 2, 4, 8]
        // np.percentile([1, 2, 4, 8], [0, 25, 50, 97.5, 100]) = 1, 1.75, 3, 7.7, 8.
        for (q, expected) in [(0.0, 1.0), (0.25, 1.75), (0.5, 3.0), (0.975, 7.7), (1.0, 8.0)] {
            #expect(abs(AggregateStatistic.quantile(sorted: sorted, q) - expected) < 1e-12, "q \(q)")
        }
    }
}

@Suite struct ProbabilityOfImprovementTests {
    @Test func matchesAHandCountedMannWhitneyU() {
        // x = 1 2 3 against y = 2 2 4: x=1 beats none; x=2 ties two (1); x=3 beats two (2).
        // U = 3 of n m = 9 pairs.
        #expect(abs(ProbabilityOfImprovement.task([1, 2, 3], [2, 2, 4]) - 3.0 / 9) < 1e-15)
        // The other way round: U = 9 - 3 = 6.
        #expect(abs(ProbabilityOfImprovement.task([2, 2, 4], [1, 2, 3]) - 6.0 / 9) < 1e-15)
        // Averaged over tasks: (1/3 + 1) / 2.
        #expect(abs(ProbabilityOfImprovement.value([[1, 2, 3], [5]], [[2, 2, 4], [1]]) - 2.0 / 3) < 1e-15)
    }

    @Test func identicalRunsGiveOneHalf() {
        #expect(ProbabilityOfImprovement.task([1, 5, 5, 9], [1, 5, 5, 9]) == 0.5)
        #expect(ProbabilityOfImprovement.value([[3, 3], [7]], [[3, 3], [7]]) == 0.5)
    }

    @Test func pairsCountAgainstABruteForceLoop() {
        var rng = testStream(31)
        for _ in 0..<20 {
            // Small integers, so that ties are common.
            let x = (0..<(1 + rng.integer(below: 7))).map { _ in Double(rng.integer(below: 5)) }
            let y = (0..<(1 + rng.integer(below: 7))).map { _ in Double(rng.integer(below: 5)) }
            var u = 0.0
            for a in x { for b in y { u += a > b ? 1 : a == b ? 0.5 : 0 } }
            #expect(abs(ProbabilityOfImprovement.task(x, y) - u / Double(x.count * y.count)) < 1e-15)
        }
    }
}

@Suite struct StratifiedBootstrapTests {
    /// Every stratified resample of `scores` with its probability (all equally likely).
    func enumerate(_ scores: [[Double]]) -> [[[Double]]] {
        var samples: [[[Double]]] = [[]]
        for runs in scores {
            var perTask: [[Double]] = [[]]
            for _ in runs { perTask = perTask.flatMap { prefix in runs.map { prefix + [$0] } } }
            samples = samples.flatMap { prefix in perTask.map { prefix + [$0] } }
        }
        return samples
    }

    @Test func replicatesFollowTheExactResamplingDistribution() {
        // Task 1 has 3 runs (27 resamples), task 2 has 2 (4): 108 equally likely resamples.
        let scores: [[Double]] = [[0, 1, 5], [0, 4]]
        let exact = enumerate(scores).map { AggregateStatistic.mean.value($0) }
        #expect(exact.count == 108)
        var probability: [Double: Double] = [:]
        for v in exact { probability[v, default: 0] += 1.0 / 108 }

        let bootstrap = StratifiedBootstrap(reps: 40_000, seed: 7)
        let replicates = bootstrap.replicates(scores, key: "exact", statistics: [AggregateStatistic.mean.value])[0]
        var frequency: [Double: Double] = [:]
        for v in replicates { frequency[v, default: 0] += 1.0 / 40_000 }
        // No value outside the exact support, and each frequency within 5 binomial s.d.
        #expect(Set(frequency.keys).isSubset(of: Set(probability.keys)))
        for (value, p) in probability {
            let sd = (p * (1 - p) / 40_000).squareRoot()
            #expect(abs((frequency[value] ?? 0) - p) < 5 * sd + 1e-12, "mean \(value): \(frequency[value] ?? 0) vs \(p)")
        }
        // The percentile interval equals the exact distribution's 2.5 and 97.5 % quantiles:
        // the smallest value whose exact CDF reaches the level (both levels fall well inside a
        // step of the CDF here, so Monte Carlo noise cannot move them).
        let support = probability.keys.sorted()
        func exactQuantile(_ level: Double) -> Double {
            var cdf = 0.0
            for v in support {
                cdf += probability[v]!
                if cdf >= level { return v }
            }
            return support.last!
        }
        let interval = bootstrap.percentileInterval(replicates)
        #expect(interval.lower == exactQuantile(0.025) && interval.upper == exactQuantile(0.975),
                "\(interval) vs \(exactQuantile(0.025)), \(exactQuantile(0.975))")
    }

    @Test func resamplesStayWithinTheirTask() {
        var rng = testStream(3)
        let scores: [[Double]] = [[1, 2, 3], [10, 20], [100]]
        for _ in 0..<200 {
            let sample = StratifiedBootstrap.resample(scores, using: &rng)
            #expect(sample.map(\.count) == [3, 2, 1])
            for (runs, drawn) in zip(scores, sample) { #expect(drawn.allSatisfy(runs.contains)) }
        }
    }

    @Test func theSeedFixesTheIntervals() {
        let scores: [[Double]] = [[0.1, 0.5, 0.9, 0.3], [1.2, 0.8, 1.0]]
        let a = StratifiedBootstrap(reps: 500, seed: 1).interval(scores, key: "k", statistic: AggregateStatistic.iqm.value)
        let b = StratifiedBootstrap(reps: 500, seed: 1).interval(scores, key: "k", statistic: AggregateStatistic.iqm.value)
        let c = StratifiedBootstrap(reps: 500, seed: 2).interval(scores, key: "k", statistic: AggregateStatistic.iqm.value)
        #expect(a == b && a != c)
    }

    /// About 95 % of the percentile intervals of the mean of 30 normal draws contain the true mean.
    @Test func coverageOnNormalDataIsNearNominal() {
        var rng = testStream(17)
        let trials = 300
        var covered = 0
        for trial in 0..<trials {
            let sample = (0..<30).map { _ in 2 + 3 * rng.normal() }
            let interval = StratifiedBootstrap(reps: 1_000, seed: UInt64(trial))
                .interval([sample], key: "coverage", statistic: AggregateStatistic.mean.value)
            if interval.lower <= 2 && 2 <= interval.upper { covered += 1 }
        }
        // Binomial s.d. at 95 % over 300 trials is 1.3 %; the percentile bootstrap of n = 30
        // under-covers slightly (about 93-94 %).
        let coverage = Double(covered) / Double(trials)
        #expect(coverage > 0.89 && coverage < 0.99, "coverage \(coverage)")
    }
}

@Suite struct PerformanceProfileTests {
    @Test func fractionsAboveEachThresholdAveragedOverTasks() {
        // Task 1: 0 1 2 3; task 2: 1 1. Above 0.5: 3/4 and 2/2, mean 0.875. Above 1: 2/4 and 0 -> 0.25.
        let fractions = PerformanceProfile.fractions([[0, 1, 2, 3], [1, 1]], thresholds: [-1, 0.5, 1, 3])
        #expect(fractions == [1, 0.875, 0.25, 0])
    }

    @Test func bandsContainTheProfile() {
        let scores: [[Double]] = [[0.1, 0.4, 0.8, 0.9], [0.2, 0.6, 1.1]]
        let profile = PerformanceProfile(scores, thresholds: PerformanceProfile.thresholds(from: 0, to: 1.2, count: 13),
                                         bootstrap: StratifiedBootstrap(reps: 300, seed: 0), key: "p")
        for i in profile.thresholds.indices {
            #expect(profile.lower[i] <= profile.fractions[i] + 1e-12 && profile.fractions[i] <= profile.upper[i] + 1e-12)
        }
        #expect(profile.fractions.first == 1 && profile.fractions.last == 0)
    }
}

@Suite struct ScoreComparisonTests {
    @Test func normalisationByRangesAndByReference() throws {
        let raw: [[[Double]]] = [[[0, 10], [5]], [[20], [10, 20]]]
        let ranged = try ScoreNormalization.ranges(["a": 0...20, "b": 0...10]).apply(raw, labels: ["x", "ppo"], tasks: ["a", "b"])
        let expectedRanged: [[[Double]]] = [[[0, 0.5], [0.5]], [[1], [1, 2]]]
        #expect(ranged == expectedRanged)
        // PPO's means: 20 on a, 15 on b.
        let referenced = try ScoreNormalization.reference(label: "ppo", low: [:]).apply(raw, labels: ["x", "ppo"], tasks: ["a", "b"])
        let third = 5.0 / 15, twoThirds = 10.0 / 15, fourThirds = 20.0 / 15
        let expectedReferenced: [[[Double]]] = [[[0, 0.5], [third]], [[1], [twoThirds, fourThirds]]]
        #expect(referenced == expectedReferenced)
        #expect(throws: AnalysisError.self) { try ScoreNormalization.ranges(["a": 0...1]).apply(raw, labels: ["x", "ppo"], tasks: ["a", "b"]) }
        // A reference whose mean is not above the low end cannot scale.
        #expect(throws: AnalysisError.self) {
            try ScoreNormalization.reference(label: "ppo", low: ["a": 25]).apply(raw, labels: ["x", "ppo"], tasks: ["a", "b"])
        }
    }

    @Test func inputKeepsOnlyTasksEveryLabelHas() throws {
        let input = try ScoreComparison.Input([("dpo", "ant", 1), ("dpo", "hopper", 2), ("ppo", "ant", 3), ("dpo", "ant", 4)])
        #expect(input.labels == ["dpo", "ppo"] && input.tasks == ["ant"])
        let expected: [[[Double]]] = [[[1, 4]], [[3]]]
        #expect(input.raw == expected)
        #expect(input.dropped.map { "\($0.label)/\($0.task)" } == ["dpo/hopper"])
    }

    @Test func comparisonOfALabelWithACopyOfItself() throws {
        var triples: [(label: String, task: String, score: Double)] = []
        for (task, runs) in [("a", [0.2, 0.4, 0.9]), ("b", [0.5, 0.7, 1.3])] {
            for s in runs { triples += [("x", task, s), ("y", task, s)] }
        }
        let comparison = try ScoreComparison(ScoreComparison.Input(triples), bootstrap: StratifiedBootstrap(reps: 200, seed: 3))
        #expect(comparison.probabilityOfImprovement.map(\.p) == [0.5, 0.5])
        let x = try #require(comparison.aggregate["x"]), y = try #require(comparison.aggregate["y"])
        #expect(x.iqm == y.iqm && abs(x.mean - (0.5 + 2.5 / 3) / 2) < 1e-12)
        #expect(x.iqmCI[0] <= x.iqm && x.iqm <= x.iqmCI[1])
        let summary = try #require(comparison.perTask["x"]?["a"])
        #expect(summary.runs == 3 && abs(summary.median - 0.4) < 1e-12 && abs(summary.mean - 0.5) < 1e-12)
        // s.e. of 0.2 0.4 0.9: sample s.d. sqrt(0.13) / sqrt(3).
        #expect(abs(summary.stderr - (0.13 / 3).squareRoot()) < 1e-12)
    }

    func run(_ returns: [Double], eval: [Double]? = nil) -> RunFile.Contents {
        let curves = returns.enumerated().map { i, value in
            var m = UpdateMetrics(curveValues: ["update": Double(i + 1), "env_steps": Double(100 * (i + 1)), "episode_return": value])
            m.evalReturn = eval?[i] ?? .nan
            return m
        }
        let d = RunDescription(env: "cartpole", drift: "ppo", preset: "classic-control", seed: 0, convention: "gymnax",
                               config: TrainingConfig())
        return RunFile.Contents(description: d, drift: PPODrift(), curves: curves, checkpoint: nil, complete: true)
    }

    @Test func metricsOfARun() throws {
        let r = run([0, 10, .nan, 20, 30], eval: [.nan, 5, .nan, 7, .nan])
        // The last 40 % of 5 updates: 20 and 30.
        #expect(try ScoreMetric.finalReturn.score(of: r, path: "r", finalFraction: 0.4) == 25)
        #expect(try ScoreMetric.finalReturn.score(of: r, path: "r", finalFraction: 0.01) == 30)
        #expect(try ScoreMetric.finalEval.score(of: r, path: "r") == 7)
        // Trapezoids over steps 100..500 skipping the NaN: 100 * 5 + 200 * 15 + 100 * 25 = 6000, over 400 steps.
        #expect(try ScoreMetric.auc.score(of: r, path: "r") == 15)
        #expect(throws: AnalysisError.self) { try ScoreMetric.finalEval.score(of: run([1, 2]), path: "r") }
    }
}
