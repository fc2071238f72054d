import Drifts
import Environments
import Foundation
import TaskCatalog
import Tensors
import Training

/// End-to-end training throughput: rollout + advantages + epochs of minibatch updates.
public struct TrainingBenchmarkResult: Sendable, Codable, Equatable {
    public var environment: String
    public var drift: String
    public var preset: String
    /// Updates timed (after one untimed warm-up update).
    public var updates: Int
    public var batchSize: Int
    /// Environment steps per second of wall-clock time, learning included.
    public var stepsPerSecond: Double
    public var secondsPerUpdate: Double
    /// Seconds per update spent acting and stepping the environments.
    public var rolloutSecondsPerUpdate: Double
    /// Seconds per update spent on the epochs of minibatch updates.
    public var learningSecondsPerUpdate: Double

    enum CodingKeys: String, CodingKey {
        case environment, drift, preset, updates
        case batchSize = "batch_size"
        case stepsPerSecond = "steps_per_second"
        case secondsPerUpdate = "seconds_per_update"
        case rolloutSecondsPerUpdate = "rollout_seconds_per_update"
        case learningSecondsPerUpdate = "learning_seconds_per_update"
    }
}

public enum TrainingBenchmark {
    /// Trains `env` with `drift` under `preset` for `updates` timed updates, on `parallelism`
    /// threads (stepping the environments and computing the minibatch shards; default: every
    /// active core). The result does not depend on it, only the time.
    public static func run(env: String, drift: any Drift, preset: TrainingPreset, updates: Int,
                           convention: MinAtarConvention = .gymnax, seed: UInt64 = 0,
                           parallelism: Int? = nil) throws -> TrainingBenchmarkResult {
        BLAS.setThreads(1)
        var config = preset.config
        config.totalSteps = max(config.totalSteps, (updates + 1) * config.batchSize)
        let vector = try EnvironmentCatalog.make(env, count: config.numEnvs, seed: seed,
                                                 configuration: EnvironmentConfiguration(convention: convention,
                                                                                         parallelism: parallelism))
        let trainer = try Trainer(env: vector, drift: drift, config: config, seed: seed)
        if let parallelism { trainer.shardThreads = parallelism }
        _ = try trainer.update() // warm-up: buffers, page faults
        let start = DispatchTime.now().uptimeNanoseconds
        var phases = UpdateTiming()
        for _ in 0..<updates {
            _ = try trainer.update()
            phases = phases + trainer.lastTiming
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return TrainingBenchmarkResult(environment: env, drift: drift.summary, preset: preset.rawValue, updates: updates,
                                       batchSize: config.batchSize, stepsPerSecond: Double(updates * config.batchSize) / seconds,
                                       secondsPerUpdate: seconds / Double(updates),
                                       rolloutSecondsPerUpdate: phases.rollout / Double(updates),
                                       learningSecondsPerUpdate: phases.learning / Double(updates))
    }
}
