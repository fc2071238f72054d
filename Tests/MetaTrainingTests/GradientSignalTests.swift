import Foundation
import Testing
import TestSupport
import Tensors
@testable import MetaTraining

@Suite struct GradientSignalTests {
    /// Pairs whose directions are the unit vectors: each gradient estimate is its `d` itself.
    func unitNoise(_ pairs: Int) -> Matrix {
        var m = Matrix(rows: pairs, cols: pairs)
        for k in 0..<pairs { m[k, k] = 1 }
        return m
    }

    /// Three pairs, two repeats, worked by hand: pair means 2, 3, 2 (grand mean 7/3);
    /// MSB = 2 * ((1/3)^2 + (2/3)^2 + (1/3)^2) / 2 = 2/3; MSW = (1 + 1 + 1 + 1 + 1 + 1) / 3 = 2.
    /// ICC = (2/3 - 2) / (2/3 + 2) = -1/2; signal variance (2/3 - 2) / 2 < 0, so signal s.d. 0.
    @Test func matchesAHandWorkedAnalysisOfVariance() {
        let s = GradientSignal(differences: [[1, 2, 1], [3, 4, 3]], noise: unitNoise(3))
        #expect(abs(s.signalFraction - -0.5) < 1e-12)
        #expect(abs(s.noiseSD - 2.0.squareRoot()) < 1e-12)
        #expect(s.signalSD == 0)
        // Gradients (1, 2, 1) and (3, 4, 3): cosine 14 / (sqrt(6) sqrt(34)).
        #expect(abs(s.gradientCosine - 14 / (6.0.squareRoot() * 34.0.squareRoot())) < 1e-12)
    }

    @Test func repeatsThatAgreeAreAllSignal() {
        let d: [Double] = [4, -2, 7, 0.5, -3]
        let s = GradientSignal(differences: [d, d, d], noise: unitNoise(5))
        #expect(s.signalFraction == 1 && s.noiseSD == 0)
        let mean = d.reduce(0, +) / 5
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4
        #expect(abs(s.signalSD - variance.squareRoot()) < 1e-12)
        #expect(abs(s.gradientCosine - 1) < 1e-12)
        #expect(s.signalFractionInterval[0] <= 1 && s.signalFractionInterval[1] >= 0.99)
    }

    @Test func identicalDifferencesHaveNoVarianceToSplit() {
        let s = GradientSignal(differences: [[2, 2], [2, 2]], noise: unitNoise(2), bootstrapSamples: 20)
        #expect(s.signalFraction.isNaN && s.signalFractionInterval.allSatisfy(\.isNaN))
        #expect(s.noiseSD == 0 && s.signalSD == 0 && abs(s.gradientCosine - 1) < 1e-12)
    }

    @Test func oppositeRepeatsHaveOppositeGradients() {
        let s = GradientSignal(differences: [[1, -2, 3], [-1, 2, -3]], noise: unitNoise(3))
        #expect(abs(s.gradientCosine + 1) < 1e-12)
        #expect(s.signalFraction < 0)
    }

    /// Seeded simulation: d = signal + noise with known variances (1 and 4). ICC estimates
    /// 1 / 5 with the truth inside the bootstrap interval, and pure noise estimates near 0.
    @Test func recoversAKnownSignalFraction() {
        var stream = RandomStream(seed: 5, stream: StreamID.make(.test))
        let pairs = 400, repeats = 3
        var signal = [Float](repeating: 0, count: pairs), noise = [Float](repeating: 0, count: pairs * repeats)
        stream.fillNormal(&signal); stream.fillNormal(&noise)
        let d = (0..<repeats).map { r in (0..<pairs).map { Double(signal[$0]) + 2 * Double(noise[r * pairs + $0]) } }
        let s = GradientSignal(differences: d, noise: unitNoise(pairs), bootstrapSamples: 500)
        #expect(abs(s.signalFraction - 0.2) < 0.08, "\(s.signalFraction)")
        #expect(s.signalFractionInterval[0] < 0.2 && 0.2 < s.signalFractionInterval[1], "\(s.signalFractionInterval)")
        #expect(abs(s.noiseSD - 2) < 0.15 && abs(s.signalSD - 1) < 0.25, "\(s.noiseSD) \(s.signalSD)")
        let pure = (0..<repeats).map { r in (0..<pairs).map { 2 * Double(noise[r * pairs + $0]) } }
        #expect(abs(GradientSignal(differences: pure, noise: unitNoise(pairs), bootstrapSamples: 10).signalFraction) < 0.1)
    }

    /// On a real (tiny) meta-training file: the probe is the file's mean +- sigma eps, not one
    /// of the run's populations; the measurement is the same with 1 or 2 workers and reads
    /// the file without changing it.
    @Test func measuresARunWithoutChangingItWhateverTheWorkers() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("m.h5")
        var d = try MetaTrainingRunTests().description(generations: 1)
        // Long enough, and at a high enough learning rate, for r to leave 1 so the drift matters.
        d.inner.config = try d.inner.config.applying([("totalSteps", "1024"), ("learningRate", "0.01")])
        try MetaTrainingRun(description: d, url: url, provenance: [:], workers: 1).run()
        let before = try Data(contentsOf: url)

        let one = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1)
        let probe = try one.signalProbe(pairs: 3, sigma: 3, seed: 1)
        #expect(probe.count == 6 && probe.sigma == 3)
        for j in [0, 100, 1151] {
            #expect(abs((probe.members[0, j] + probe.members[1, j]) / 2 - one.state.mean[j]) < 1e-5)
        }
        let generation = try OpenAIES(settings: d.settings, params: d.params).sample(one.state)
        #expect(probe.members != generation.members)
        let counter = LockedValue(0)
        let kept = LockedValue(SignalCache(probe: one.signalProbeIdentity(pairs: 3, sigma: 3, seed: 1)))
        let a = try one.measureSignal(probe: probe, repeats: 2, seed: 1) { r, i, returns in
            counter.withValue { $0 += 1 }
            kept.withValue { $0.record(repeat: r, member: i, returns: returns, members: 6) }
        }
        #expect(counter.withValue { $0 } == 12 && kept.withValue { $0.recorded() } == 12)
        // Resuming from what an interrupted measurement kept trains only the rest, to the same result.
        var partial = kept.withValue { $0.returns }
        for i in [0, 3, 5] { partial[1][i] = nil }
        let resumedRuns = LockedValue(0)
        let resumed = try one.measureSignal(probe: probe, repeats: 2, seed: 1, known: partial) { _, _, _ in resumedRuns.withValue { $0 += 1 } }
        #expect(resumedRuns.withValue { $0 } == 3 && resumed.differences == a.differences)
        let two = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 2)
        let b = try two.measureSignal(probe: try two.signalProbe(pairs: 3, sigma: 3, seed: 1), repeats: 2, seed: 1)
        #expect(a.differences == b.differences) // the statistics are functions of them
        #expect(a.differences.count == 2 && a.differences.allSatisfy { $0.count == 3 && $0.allSatisfy(\.isFinite) })
        // Members differ by sigma = 3, so their short CartPole runs do not all end alike.
        #expect(a.differences.joined().contains { $0 != 0 }, "\(a.differences)")
        #expect(try Data(contentsOf: url) == before)
    }
}
