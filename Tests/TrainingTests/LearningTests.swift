import Dispatch
import Drifts
import Environments
import Foundation
import TaskCatalog
import Testing
import TestSupport
@testable import Training

/// CartPole must be solved (a deterministic policy balancing for the full 500 steps) with
/// PPO and with DPO, for three seeds each, within 2e5 steps.
@Suite struct LearningTests {
    static func quickCartPoleConfig() throws -> TrainingConfig {
        try TrainingPreset.classicControl.config.applying([
            ("totalSteps", "200000"), ("learningRate", "0.001"), ("numEnvs", "8"), ("rolloutSteps", "64"),
        ])
    }

    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var values: [String: Double] = [:]
        func set(_ key: String, _ value: Double) { lock.lock(); values[key] = value; lock.unlock() }
    }

    @Test func cartpoleIsSolvedByPPOAndDPO() throws {
        let config = try Self.quickCartPoleConfig()
        let jobs: [(String, any Drift, UInt64)] = [("ppo", PPODrift(), 0), ("ppo", PPODrift(), 1), ("ppo", PPODrift(), 2),
                                                    ("dpo", DPODrift(), 0), ("dpo", DPODrift(), 1), ("dpo", DPODrift(), 2)]
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            let (name, drift, seed) = jobs[i]
            do {
                let env = try EnvironmentCatalog.make("cartpole", count: config.numEnvs, seed: seed,
                                                      configuration: EnvironmentConfiguration(parallelism: 1))
                let trainer = try Trainer(env: env, drift: drift, config: config, seed: seed)
                for _ in 0..<config.numUpdates { _ = try trainer.update() }
                let evalEnv = try EnvironmentCatalog.make("cartpole", count: 20, seed: seed + 100,
                                                          configuration: EnvironmentConfiguration(parallelism: 1))
                let result = PolicyEvaluation.run(actor: trainer.networks.actor, normalizer: nil, env: evalEnv,
                                                  deterministic: true, seed: seed)
                results.set("\(name) seed \(seed)", result.meanReturn)
            } catch {
                results.set("\(name) seed \(seed)", -1)
            }
        }
        #expect(results.values.count == 6)
        for (run, meanReturn) in results.values.sorted(by: { $0.key < $1.key }) {
            #expect(meanReturn >= 475, "\(run): mean return \(meanReturn)")
        }
    }
}
