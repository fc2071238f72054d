import Drifts
import Foundation
import Testing
import TestSupport
@testable import Training

/// `evalInterval`: the evaluation return is recorded every K updates (and after the last),
/// and evaluating never changes what is trained.
@Suite struct EvaluationDuringTrainingTests {
    func run(evalInterval: Int, in dir: URL) throws -> TrainingRun {
        let config = try TrainingPreset.classicControl.config.applying([
            ("numEnvs", "4"), ("rolloutSteps", "16"), ("minibatches", "2"), ("totalSteps", "\(4 * 16 * 7)"),
            ("evalEpisodes", "3"), ("evalInterval", "\(evalInterval)"),
        ])
        let d = RunDescription(env: "cartpole", drift: "ppo", preset: "classic-control", seed: 2, convention: "gymnax", config: config)
        let run = try TrainingRun(description: d, drift: PPODrift(), url: dir.appendingPathComponent("e\(evalInterval).h5"),
                                  provenance: [:], parallelism: 1)
        try run.run()
        return run
    }

    @Test func evaluationsHappenEveryKUpdatesAndLeaveTrainingUnchanged() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try run(evalInterval: 0, in: dir), evaluated = try run(evalInterval: 3, in: dir)
        // 7 updates, every 3rd evaluated, and the last: updates 3, 6 and 7.
        #expect(evaluated.curves.filter { !$0.evalReturn.isNaN }.map(\.update) == [3, 6, 7])
        #expect(plain.curves.filter { !$0.evalReturn.isNaN }.map(\.update) == [7])
        // The evaluation environments and action samples have streams of their own.
        for (a, b) in zip(plain.curves, evaluated.curves) {
            var b = b
            b.evalReturn = a.evalReturn
            #expect(a.equalsIgnoringTiming(b), "update \(a.update)")
        }
        #expect(plain.trainer.networks.flatParameters == evaluated.trainer.networks.flatParameters)
        #expect(plain.curves.last!.evalReturn == evaluated.curves.last!.evalReturn)
        // Each evaluation plays evalEpisodes fresh episodes, the same start states every time:
        // an evaluation after the last update repeats exactly.
        #expect(try evaluated.evaluate(episodes: 3, deterministic: false).meanReturn == evaluated.curves.last!.evalReturn)
    }
}
