import Drifts
import Foundation
import Testing
import TestSupport
import Training
@testable import Analysis

@Suite struct ClosedFormFitTests {
    let grid = try! DriftGrid(resolution: 201)

    @Test(arguments: [(Float(2), Float(0.6)), (1.5, 0.8), (0.7, 2.5)])
    func recoversTheConstantsOfDPO(alpha: Float, beta: Float) throws {
        let map = ObjectiveMap(drift: DPODrift(alpha: alpha, beta: beta), grid: grid)
        let (fit, residual) = try ClosedFormFit.fit(map)
        #expect(abs(fit.alpha / Double(alpha) - 1) < 1e-3, "alpha \(fit.alpha)")
        #expect(abs(fit.beta / Double(beta) - 1) < 1e-3, "beta \(fit.beta)")
        #expect(fit.r2 > 0.999999 && fit.rmse < 1e-5)
        #expect(residual.values.allSatisfy { abs($0) < 1e-4 })
    }

    @Test func ppoIsFitWorseThanDPO() throws {
        let fit = try ClosedFormFit.fit(ObjectiveMap(drift: PPODrift(), grid: grid)).fit
        #expect(fit.rmse > 0.05 && fit.r2 < 0.999)
    }

    /// R² scores only the fitted quadrants: a map equal to DPO there and arbitrary in the
    /// A-only quadrants still scores 1, while the RMSE (whole map) sees the difference.
    @Test func r2IgnoresTheQuadrantsWithoutAFreeParameter() throws {
        let dpo = ObjectiveMap(drift: DPODrift(), grid: grid)
        var values = dpo.values
        for i in 0..<dpo.rows {
            for j in 0..<dpo.columns {
                let r = exp(dpo.logRatios[j]), a = dpo.advantages[i]
                if (a >= 0 && r <= 1) || (a < 0 && r >= 1) { values[i * dpo.columns + j] = 5 * sin(Double(i + j)) }
            }
        }
        let map = ObjectiveMap(logRatios: dpo.logRatios, advantages: dpo.advantages, values: values)
        let fit = try ClosedFormFit.fit(map).fit
        #expect(abs(fit.alpha / 2 - 1) < 1e-3 && abs(fit.beta / 0.6 - 1) < 1e-3)
        #expect(fit.r2 > 0.999999)
        #expect(fit.rmse > 1)
    }

    @Test func closedFormMatchesTheDriftImplementation() {
        let map = ObjectiveMap(drift: DPODrift(), grid: try! DriftGrid(resolution: 41))
        let model = ClosedFormFit.closedFormMap(alpha: 2, beta: 0.6, like: map)
        for (a, b) in zip(map.values, model.values) { #expect(abs(a - b) < 1e-4) }
    }
}

@Suite struct DriftDiffTests {
    let grid = try! DriftGrid(resolution: 61)

    @Test func aDriftEqualsItself() throws {
        let map = ObjectiveMap(drift: DPODrift(), grid: grid)
        let (diff, difference) = try DriftDiff.compare(map, map)
        #expect(diff.l2 == 0 && diff.maxAbs == 0 && diff.signAgreement == 1)
        #expect(difference.values.allSatisfy { $0 == 0 })
        #expect(diff.quadrants.count == 4 && diff.quadrants.allSatisfy { $0.signAgreement == 1 && $0.rms == 0 })
    }

    @Test func ppoAndDPODifferWhereTheyShould() throws {
        let (diff, _) = try DriftDiff.compare(ObjectiveMap(drift: PPODrift(), grid: grid), ObjectiveMap(drift: DPODrift(), grid: grid))
        #expect(diff.l2 > 0.1 && diff.maxAbs > 1)
        // A >= 0, r < 1: both are exactly A (no drift), so that quadrant agrees fully.
        let quiet = try #require(diff.quadrants.first { $0.name == "A >= 0, r < 1" })
        #expect(quiet.rms < 1e-6 && quiet.signAgreement == 1)
        // A < 0, r < 1: PPO is 0 past the clip edge, DPO rolls back (> 0): signs disagree there.
        let rollback = try #require(diff.quadrants.first { $0.name == "A < 0, r < 1" })
        #expect(rollback.signAgreement < 0.9)
    }

    @Test func differentGridsAreRejected() {
        let a = ObjectiveMap(drift: PPODrift(), grid: grid)
        let b = ObjectiveMap(drift: PPODrift(), grid: try! DriftGrid(resolution: 31))
        #expect(throws: AnalysisError.self) { try DriftDiff.compare(a, b) }
    }
}

@Suite struct DriftFeatureTests {
    let grid = try! DriftGrid(resolution: 101)

    @Test func dpoRollsBackAndPPODoesNot() throws {
        let dpo = try DriftFeatures.detect(ObjectiveMap(drift: DPODrift(), grid: grid))
        let ppo = try DriftFeatures.detect(ObjectiveMap(drift: PPODrift(), grid: grid))
        #expect(dpo.rollback.present && dpo.rollback.score > 0.05)
        #expect(!ppo.rollback.present && abs(ppo.rollback.score) < 1e-6)
        #expect(dpo.cautiousOptimism.present)
        #expect(!ppo.cautiousOptimism.present) // PPO's hard cut at 1 + eps
        #expect(dpo.asymmetry.present)
        #expect(dpo.asymmetry.score > ppo.asymmetry.score)
    }

    /// Pull-back is rollback seen in the mirror `(log r, A) -> (-log r, -A)`: on a symmetric
    /// grid, the pull-back score of the mirrored map is the rollback score of the map, for
    /// DPO (which rolls back, and whose mirror therefore pulls back) and a random LPO alike.
    @Test func pullBackIsRollbackInTheMirror() throws {
        func mirrored(_ map: ObjectiveMap) -> ObjectiveMap {
            var values = map.values
            for i in 0..<map.rows { for j in 0..<map.columns {
                values[i * map.columns + j] = -map[map.rows - 1 - i, map.columns - 1 - j]
            } }
            return ObjectiveMap(logRatios: map.logRatios, advantages: map.advantages, values: values)
        }
        for drift in [DPODrift() as any Drift, try NetworkDrift.make(.lpo, initialisation: .random(seed: 2))] {
            let map = ObjectiveMap(drift: drift, grid: grid)
            let features = try DriftFeatures.detect(map), mirror = try DriftFeatures.detect(mirrored(map))
            #expect(abs(mirror.pullBack.score - features.rollback.score) < 1e-12, "\(drift.summary)")
            #expect(abs(mirror.rollback.score - features.pullBack.score) < 1e-12, "\(drift.summary)")
        }
        // PPO is flat beyond 1 + eps (no pull-back); DPO keeps raising a likely good action (negative score).
        let ppo = try DriftFeatures.detect(ObjectiveMap(drift: PPODrift(), grid: grid))
        let dpo = try DriftFeatures.detect(ObjectiveMap(drift: DPODrift(), grid: grid))
        #expect(!ppo.pullBack.present && abs(ppo.pullBack.score) < 1e-6)
        #expect(!dpo.pullBack.present && dpo.pullBack.score < 0)
        #expect(try DriftFeatures.detect(mirrored(ObjectiveMap(drift: DPODrift(), grid: grid))).pullBack.present)
    }

    @Test func noDriftHasNoCaution() throws {
        // A zero LPO-Zero network has f = 0: dObj/dr = A everywhere, optimism without caution.
        let plain = try DriftFeatures.detect(ObjectiveMap(drift: try NetworkDrift.make(.lpoZero), grid: grid))
        #expect(!plain.rollback.present && !plain.pullBack.present && !plain.cautiousOptimism.present && !plain.asymmetry.present)
    }
}

@Suite struct ReferenceImportTests {
    @Test func importedNetworkMatchesAnIndependentEvaluation() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = testStream(31)
        let flat: [Float] = (0..<1152).map { _ in rng.uniform(Float(-0.3), Float(0.3)) }
        let url = dir.appendingPathComponent("lpo.npy")
        try NumpyArray.encode(flat, shape: [1152]).write(to: url)
        let drift = try ReferenceImport.lpo(fromNumpy: url)

        // Independent evaluation in double precision: x(r, A) in the reference order,
        // f~ = sum_j W2[j] tanh(sum_k x_k W1[k, j]), f = ReLU(f~ - 1e-4 + ReLU((r - clip(r)) A)).
        func reference(_ r: Double, _ a: Double) -> Double {
            let l = log(r), u = 1 - r
            let x = [l, l * l, u, u * u, a * l, a * l * l, a * u, a * u * u]
            var out = 0.0
            for j in 0..<128 {
                var pre = 0.0
                for k in 0..<8 { pre += x[k] * Double(flat[k * 128 + j]) }
                out += Double(flat[1024 + j]) * tanh(pre)
            }
            let ppo = max(0, (r - min(max(r, 0.8), 1.2)) * a)
            return max(0, out - 1e-4 + ppo)
        }
        for (r, a) in [(0.5, 1.0), (0.8, -2.0), (1.3, 0.7), (2.2, -1.5), (1.05, 3.0)] {
            #expect(abs(Double(drift.value(ratio: Float(r), advantage: Float(a))) - reference(r, a)) < 1e-4, "r=\(r) A=\(a)")
        }
    }

    @Test func wrongSizesAndFormatsAreRejected() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let small = dir.appendingPathComponent("small.npy")
        try NumpyArray.encode([1, 2, 3], shape: [3]).write(to: small)
        do { _ = try ReferenceImport.lpo(fromNumpy: small); Issue.record("accepted 3 values") } catch {
            #expect("\(error)".contains("1152") && "\(error)".contains(small.path))
        }
        let text = dir.appendingPathComponent("text.npy")
        try Data("hello".utf8).write(to: text)
        #expect(throws: AnalysisError.self) { try ReferenceImport.lpo(fromNumpy: text) }
    }

    @Test func npyRoundTripWithTwoDimensions() throws {
        let data = NumpyArray.encode([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let array = try NumpyArray(data: data, path: "x.npy")
        #expect(array.shape == [2, 3] && array.values == [1, 2, 3, 4, 5, 6])
    }
}

@Suite struct CurveAggregateTests {
    func run(_ steps: [Int], _ returns: [Double]) throws -> RunFile.Contents {
        let curves = zip(steps, returns).enumerated().map { i, pair in
            UpdateMetrics(update: i + 1, envSteps: pair.0, episodeReturn: pair.1, episodesFinished: 1, entropy: 0,
                          policyLoss: 0, valueLoss: 0, approxKL: 0, driftActiveFraction: 0, learningRate: 0,
                          gradientNorm: 0, stepsPerSecond: 0)
        }
        let d = RunDescription(env: "cartpole", drift: "ppo", preset: "classic-control", seed: 0, convention: "gymnax",
                               config: TrainingConfig())
        return RunFile.Contents(description: d, drift: PPODrift(), curves: curves, checkpoint: nil, complete: true)
    }

    @Test func meanAndStandardErrorOnACommonGrid() throws {
        let a = try run([100, 200, 300], [1, 2, 3]), b = try run([100, 200, 300], [3, 4, .nan])
        let agg = try CurveAggregate.aggregate([a, b], curve: "episode_return", points: 3, labels: ["a", "b"])
        #expect(agg.steps == [100, 200, 300] || agg.steps == [100, 150, 200])
        // b's last value is NaN: its curve ends at 200, so the grid ends at the shortest run's end.
        #expect(agg.steps == [100, 150, 200])
        // At 150: a = 1.5, b = 3.5 -> mean 2.5, s.e. = sd / sqrt 2 = sqrt(2) / sqrt(2) = 1.
        #expect(abs(agg.mean[1] - 2.5) < 1e-12 && abs(agg.standardError[1] - 1) < 1e-12)
        #expect(agg.runs == [2, 2, 2])
    }

    @Test func pointsAverageEachRunOverTheWindowThenTakeTheErrorAcrossRuns() throws {
        let a = try run([100, 200, 300, 400], [1, 2, 3, 4]), b = try run([100, 200, 300, 400], [3, 5, 7, 9])
        let labels = ["a", "b"]
        // Window (150, 400]: a -> mean(2, 3, 4) = 3, b -> mean(5, 7, 9) = 7; s.e. = |7 - 3| / 2 = 2.
        let windowed = try CurveAggregate.points([a, b], curve: "episode_return", at: [400], window: 250, labels: labels)
        #expect(windowed == [CurvePoint(envSteps: 400, mean: 5, standardError: 2, runs: 2)])
        // No window: interpolated at 250 (a 2.5, b 6); within one update (100 steps) past the
        // end: the end (a 4, b 9); default: the end.
        let plain = try CurveAggregate.points([a, b], curve: "episode_return", at: [250, 480], labels: labels)
        #expect(plain == [CurvePoint(envSteps: 250, mean: 4.25, standardError: 1.75, runs: 2),
                          CurvePoint(envSteps: 400, mean: 6.5, standardError: 2.5, runs: 2)])
        #expect(try CurveAggregate.points([a, b], curve: "episode_return", labels: labels) == [plain[1]])
        // A window with no update in it falls back to the interpolated value.
        let narrow = try CurveAggregate.points([a, b], curve: "episode_return", at: [250], window: 10, labels: labels)
        #expect(narrow == [plain[0]])
        // A curve that stops before its run (no episode finished in the last updates) is
        // read at its last value, not refused: the run itself goes to 400.
        let early = try run([100, 200, 300, 400], [1, 2, .nan, .nan])
        #expect(try CurveAggregate.points([early], curve: "episode_return", at: [400], labels: ["e"])
                == [CurvePoint(envSteps: 200, mean: 2, standardError: 0, runs: 1)])
        // Further past the end is an error naming the run and its length.
        #expect(throws: AnalysisError.invalidFile(path: "a", reason: "step 1000 is beyond the run's end at 400 steps (4 updates)")) {
            try CurveAggregate.points([a, b], curve: "episode_return", at: [250, 1000], labels: labels)
        }
    }

    @Test func unknownCurveIsNamed() throws {
        #expect(throws: AnalysisError.invalidInput("unknown curve 'reward'; curves: "
                + UpdateMetrics.curves.map(\.name).joined(separator: ", "))) {
            try CurveAggregate.aggregate([try run([1], [1])], curve: "reward", labels: ["a"])
        }
    }
}
