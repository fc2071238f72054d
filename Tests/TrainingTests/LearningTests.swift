import Drifts
import Environments
import Foundation
import Testing
import TestSupport
@testable import Training

@Suite struct LearningTests {
    @Test func cartpoleProbe() throws {
        var config = TrainingPreset.classicControl.config
        config.totalSteps = 100_000
        let env = try EnvironmentCatalog.make("cartpole", count: config.numEnvs, seed: 0,
                                              configuration: EnvironmentConfiguration(parallelism: 1))
        let trainer = try Trainer(env: env, drift: PPODrift(), config: config, seed: 0)
        let start = Date()
        for _ in 0..<config.numUpdates {
            let m = try trainer.update()
            if m.update % 20 == 0 { print(m.update, m.envSteps, m.episodeReturn, m.entropy, m.approxKL, m.valueLoss) }
        }
        print("seconds", Date().timeIntervalSince(start))
    }
}
