import Drifts
import Environments
import Foundation
import TaskCatalog
import Training

/// The inner loop of meta-training: a whole training run with a candidate drift, scored by
/// the final policy's mean return (Lu et al. 2022, Section 4: fitness = return of the policy
/// trained with the drift).
public struct InnerTraining: Sendable, Codable, Equatable {
    /// Environments to train on; with several, fitness combines them (see `combine`).
    public var environments: [String]
    /// MinAtar convention for MinAtar tasks.
    public var convention: String
    /// The inner run's configuration (its `totalSteps` is the inner budget).
    public var config: TrainingConfig
    /// Evaluation episodes of the final policy (stochastic actions, as in the paper).
    public var evaluationEpisodes: Int

    public init(environments: [String], convention: String, config: TrainingConfig, evaluationEpisodes: Int) {
        self.environments = environments
        self.convention = convention
        self.config = config
        self.evaluationEpisodes = evaluationEpisodes
    }

    /// Trains a policy on `environment` with `drift` from `seed` and returns the mean return
    /// of its final policy over `evaluationEpisodes` fresh episodes. Single-threaded
    /// (environments and minibatch shards stay on the calling thread), so a population can be
    /// spread one member per core; the result is exactly that of `driftlab train` with the
    /// same configuration and seed, whose shards run in parallel.
    public func fitness(of drift: any Drift, on environment: String, seed: UInt64) throws -> Double {
        guard let convention = MinAtarConvention(rawValue: convention) else {
            throw TrainingError.invalidConfig("convention: unknown '\(self.convention)'")
        }
        let configuration = EnvironmentConfiguration(convention: convention, parallelism: 1)
        let env = try EnvironmentCatalog.make(environment, count: config.numEnvs, seed: seed, configuration: configuration)
        let trainer = try Trainer(env: env, drift: drift, config: config, seed: seed)
        trainer.shardThreads = 1
        for _ in 0..<config.numUpdates { _ = try trainer.update() }
        let evaluation = try EnvironmentCatalog.make(environment, count: evaluationEpisodes,
                                                     seed: TrainingRun.evaluationSeed(seed), configuration: configuration)
        return PolicyEvaluation.run(actor: trainer.networks.actor, normalizer: trainer.normalizer, env: evaluation,
                                    deterministic: false, seed: seed).meanReturn
    }

    /// Combines per-environment returns `[member][environment]` into one fitness per member.
    /// One environment: the return itself. Several: each environment's returns are z-scored
    /// across the population (so no task dominates by the scale of its rewards) and averaged.
    public static func combine(_ returns: [[Double]]) -> [Double] {
        guard let width = returns.first?.count, width > 1 else { return returns.map { $0.first ?? .nan } }
        var combined = [Double](repeating: 0, count: returns.count)
        for e in 0..<width {
            let column = returns.map { $0[e] }
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            for i in column.indices { combined[i] += (sd > 0 ? (column[i] - mean) / sd : 0) / Double(width) }
        }
        return combined
    }
}
