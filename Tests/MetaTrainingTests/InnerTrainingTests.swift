import Drifts
import Foundation
import Testing
import TestSupport
@testable import MetaTraining
@testable import Training

/// An ES member's fitness is exactly `driftlab train` with the same settings: the same shards
/// (run in turn on the member's core instead of in parallel), the same final evaluation.
@Suite struct InnerTrainingTests {
    @Test func innerRunEqualsATrainingRun() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try TrainingPreset.minatar.config.applying([
            ("numEnvs", "8"), ("rolloutSteps", "16"), ("minibatches", "2"), ("minibatchShards", "2"),
            ("totalSteps", "\(8 * 16 * 3)"), ("evalEpisodes", "4"),
        ])
        let drift = try NetworkDrift.make(.lpo, initialisation: .random(seed: 4))
        let inner = InnerTraining(environments: ["breakout"], convention: "gymnax", config: config, evaluationEpisodes: 4)
        let fitness = try inner.fitness(of: drift, on: "breakout", seed: 9)

        let d = RunDescription(env: "breakout", drift: "lpo:init=random,seed=4", preset: "minatar", seed: 9,
                               convention: "gymnax", config: config)
        let run = try TrainingRun(description: d, drift: drift, url: dir.appendingPathComponent("run.h5"),
                                  provenance: [:], parallelism: 2)
        try run.run()
        #expect(run.curves.last?.evalReturn == fitness)
    }
}
