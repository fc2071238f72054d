import Drifts
import Environments
import Foundation
import Testing
import TestSupport
@testable import Training

/// The shard count is part of the algorithm, the thread count only its schedule: a seed gives
/// the same run on one core as on two.
@Suite struct ThreadIndependenceTests {
    @Test(arguments: ["breakout", "pendulum"])
    func oneAndTwoThreadsGiveTheSameRun(env: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let preset = TrainingPreset.defaultPreset(forEnvironment: env)
        let config = try preset.config.applying([
            ("numEnvs", "8"), ("rolloutSteps", "16"), ("minibatches", "2"), ("minibatchShards", "3"),
            ("totalSteps", "\(8 * 16 * 4)"), ("evalEpisodes", "2"),
        ])
        let d = RunDescription(env: env, drift: "dpo", preset: preset.rawValue, seed: 11, convention: "gymnax", config: config)
        var runs: [TrainingRun] = []
        for threads in [1, 2] {
            let run = try TrainingRun(description: d, drift: DPODrift(), url: dir.appendingPathComponent("\(threads).h5"),
                                      provenance: [:], parallelism: threads)
            #expect(run.trainer.shardThreads == threads)
            try run.run()
            runs.append(run)
        }
        #expect(runs[0].curves.count == 4 && runs[1].curves.count == 4)
        for (a, b) in zip(runs[0].curves, runs[1].curves) {
            #expect(a.equalsIgnoringTiming(b), "update \(a.update): \(a) vs \(b)")
        }
        #expect(runs[0].trainer.networks.flatParameters == runs[1].trainer.networks.flatParameters)
    }
}
