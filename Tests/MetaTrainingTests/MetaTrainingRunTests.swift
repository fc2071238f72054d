import Drifts
import Foundation
import Testing
import TestSupport
import Training
@testable import MetaTraining

@Suite struct MetaTrainingRunTests {
    func description(generations: Int, environments: [String] = ["cartpole"]) throws -> MetaTrainingDescription {
        let config = try TrainingPreset.classicControl.config.applying([
            ("numEnvs", "4"), ("rolloutSteps", "16"), ("minibatches", "2"), ("minibatchShards", "1"),
            ("totalSteps", "128"), ("learningRate", "0.001"),
        ])
        let inner = InnerTraining(environments: environments, convention: "gymnax", config: config, evaluationEpisodes: 3)
        return MetaTrainingDescription(drift: .lpo, xi: 1e-4, settings: ESSettings(dimension: 1152, populationSize: 4),
                                       params: OpenAIES.Params(), seed: 11, generations: generations, inner: inner)
    }

    func strip(_ history: [GenerationRecord]) -> [[Double]] { history.map { $0.fitness + [$0.sigma, $0.learningRate] } }

    @Test func resumeAndWorkerCountDoNotChangeTheResult() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try description(generations: 2)
        let straight = try MetaTrainingRun(description: d, url: dir.appendingPathComponent("a.h5"), provenance: [:], workers: 2)
        try straight.run()

        let url = dir.appendingPathComponent("b.h5")
        let first = try MetaTrainingRun(description: d, url: url, provenance: [:], workers: 1)
        try first.runGeneration()
        let resumed = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1)
        #expect(resumed.state.generation == 1)
        try resumed.run()

        #expect(resumed.state == straight.state)
        #expect(strip(resumed.history) == strip(straight.history))
        #expect(straight.history.count == 2 && straight.history[0].fitness.count == 4)
        // Members differ (antithetic perturbations), so their fitness usually does too.
        #expect(straight.history.allSatisfy { $0.fitness.allSatisfy(\.isFinite) })
    }

    @Test func resumeCanExtendAFinishedRunButNotCutBelowItsPast() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.h5")
        try MetaTrainingRun(description: try description(generations: 1), url: url, provenance: [:], workers: 1).run()
        let finished = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1)
        #expect(finished.isComplete)
        let extended = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1, generations: 2)
        #expect(!extended.isComplete)
        try extended.run()
        #expect(extended.state.generation == 2)
        let reread = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1)
        #expect(reread.description.generations == 2 && reread.history.count == 2)
        #expect(throws: ESError.self) { try MetaTrainingRun.resume(from: url, provenance: [:], workers: 1, generations: 1) }
    }

    @Test func startsExactlyAtPPOWithoutTheZeroMeanDeadPoint() throws {
        let mean = try MetaTrainingRun.initialMean(.lpo, xi: 1e-4, seed: 3)
        let start = try NetworkDrift.make(.lpo).with(parameters: mean)
        let probe = (r: [Float](arrayLiteral: 0.3, 0.9, 1.1, 1.7, 2.5), a: [Float](arrayLiteral: -2, 1, -1, 2, 0.5))
        #expect(start.evaluate(ratios: probe.r, advantages: probe.a) == (try NetworkDrift.make(.lpo)).evaluate(ratios: probe.r, advantages: probe.a))
        // At an all-zero mean, a perturbation and its negation are the same tanh network.
        var rng = testStream(4)
        let eps: [Float] = (0..<1152).map { _ in rng.normalFloat() * 0.04 }
        let plus = try NetworkDrift.make(.lpo).with(parameters: eps)
        let minus = try NetworkDrift.make(.lpo).with(parameters: eps.map { -$0 })
        #expect(plus.evaluate(ratios: probe.r, advantages: probe.a) == minus.evaluate(ratios: probe.r, advantages: probe.a))
        // From the project's starting point they differ, so ES has a gradient to follow.
        let plus2 = try NetworkDrift.make(.lpo).with(parameters: zip(mean, eps).map { $0 + $1 })
        let minus2 = try NetworkDrift.make(.lpo).with(parameters: zip(mean, eps).map { $0 - $1 })
        #expect(plus2.evaluate(ratios: probe.r, advantages: probe.a) != minus2.evaluate(ratios: probe.r, advantages: probe.a))
    }

    @Test func theFileIsADriftFileOfTheMean() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("lpo.h5")
        let run = try MetaTrainingRun(description: try description(generations: 1), url: url, provenance: [:], workers: 2)
        try run.run()
        let drift = try #require(try DriftFile.read(from: url) as? NetworkDrift)
        #expect(drift.parameters == run.state.mean)
        #expect(drift.kind == .lpo && drift.parameterCount == 1152)
        let stored = try MetaTrainingFile.read(from: url)
        #expect(stored.state == run.state && stored.history.count == 1)
    }

    /// With several environments the file keeps each member's raw returns beside the z-scored
    /// fitness; the fitness is exactly their combination, and they survive a round trip and a
    /// resume. A file without them (written before they were kept) reads as nil, and a resumed
    /// run records them from then on.
    @Test func rawReturnsAreRecordedBesideTheCombinedFitness() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("two.h5")
        let run = try MetaTrainingRun(description: try description(generations: 2, environments: ["cartpole", "acrobot"]),
                                      url: url, provenance: [:], workers: 2)
        try run.runGeneration()
        let record = try #require(run.history.first)
        let returns = try #require(record.returns)
        #expect(returns.count == 4 && returns.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) })
        #expect(InnerTraining.combine(returns) == record.fitness)
        #expect(try MetaTrainingFile.read(from: url).history == run.history)

        // The same file as an earlier binary wrote it: no /es/history/returns.
        var old = run.history
        old[0].returns = nil
        let stored = try MetaTrainingFile.read(from: url)
        try MetaTrainingFile.write(to: url, description: stored.description, drift: try run.meanDrift(), state: stored.state,
                                   history: old, provenance: [:])
        #expect(try MetaTrainingFile.read(from: url).history[0].returns == nil)
        let resumed = try MetaTrainingRun.resume(from: url, provenance: [:], workers: 2)
        try resumed.run()
        let reread = try MetaTrainingFile.read(from: url).history
        #expect(reread.count == 2 && reread[0].returns == nil && reread[1].returns?.count == 4)
        let history = FitnessHistory(reread)
        #expect(history.generations[0].taskMeans == nil && history.generations[1].taskMeans?.count == 2)
        let block = try #require(history.blocks(of: 2).first)
        // The block's task means come from the one generation that has returns.
        #expect(block.taskMeans == history.generations[1].taskMeans && block.taskStandardErrors.allSatisfy(\.isNaN))
    }

    @Test func fitnessOfSeveralEnvironmentsIsZScoredPerEnvironment() {
        // Two environments on very different scales contribute equally.
        let combined = InnerTraining.combine([[1, 100], [3, 300], [2, 200]])
        #expect(combined.count == 3)
        #expect(abs(combined[0] + combined[1] + combined[2]) < 1e-12)
        #expect(combined[1] > combined[2] && combined[2] > combined[0])
        #expect(InnerTraining.combine([[5], [7]]) == [5, 7])
    }

    @Test func invalidSettingsAreNamed() throws {
        var d = try description(generations: 1)
        d.settings = ESSettings(dimension: 10, populationSize: 4)
        do {
            _ = try MetaTrainingRun(description: d, url: temporaryDirectory().appendingPathComponent("x.h5"), provenance: [:], workers: 1)
            Issue.record("accepted a wrong dimension")
        } catch {
            #expect("\(error)".contains("dimension"))
        }
    }
}

@Suite struct MetaTrainingDescriptionDifferenceTests {
    /// Every field counts, nested ones by their path, and the generation total does not.
    @Test func differencesNameEachSettingButNotTheTotal() throws {
        let base = try MetaTrainingRunTests().description(generations: 5)
        var longer = base
        longer.generations = 50
        #expect(try longer.differences(from: base).isEmpty)
        var other = base
        other.seed = 12
        other.inner.environments = ["cartpole", "acrobot"]
        other.inner.config.annealLearningRate = false
        let lines = try other.differences(from: base)
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.contains("seed: 11 in the file, 12 here"), "\(lines)")
        #expect(lines.contains("inner.config.annealLearningRate: true in the file, false here"), "\(lines)")
        #expect(lines.contains("inner.environments: [\"cartpole\"] in the file, [\"cartpole\",\"acrobot\"] here"), "\(lines)")
    }
}
