import Dispatch
import Environments
import Foundation
import TaskCatalog
import Tensors

/// Environment throughput of one task: steps per second with dense observations produced,
/// on one core and across every core through `VectorEnv`.
public struct EnvironmentBenchmarkResult: Sendable, Equatable, Codable {
    /// Task name.
    public var environment: String
    /// Environment steps per second, one core (serial `VectorEnv` of `environmentsOneCore`).
    public var stepsPerSecondOneCore: Double
    /// Environment steps per second, every active core (`environmentsAllCores` environments).
    public var stepsPerSecondAllCores: Double
    /// Active processor count during the measurement.
    public var cores: Int
    /// Batch size of the one-core measurement.
    public var environmentsOneCore: Int
    /// Batch size of the all-cores measurement.
    public var environmentsAllCores: Int

    enum CodingKeys: String, CodingKey {
        case environment
        case stepsPerSecondOneCore = "steps_per_second_one_core"
        case stepsPerSecondAllCores = "steps_per_second_all_cores"
        case cores
        case environmentsOneCore = "environments_one_core"
        case environmentsAllCores = "environments_all_cores"
    }
}

/// Measures environment stepping speed.
public enum EnvironmentBenchmark {
    /// Steps task `name` with uniformly random actions (drawn before timing) for about
    /// `seconds` per measurement: once with `environmentsOneCore` environments stepped serially,
    /// once with `environmentsPerCore` environments per core stepped in parallel. Every step
    /// writes the dense observations, auto-resets and records episodes, as in training.
    public static func run(_ name: String, configuration: EnvironmentConfiguration = EnvironmentConfiguration(),
                           seconds: Double = 1.0, environmentsOneCore: Int = 64, environmentsPerCore: Int = 256,
                           seed: UInt64 = 0) throws -> EnvironmentBenchmarkResult {
        guard seconds > 0 else {
            throw EnvironmentError.invalidOption(option: "benchmark seconds", value: "\(seconds)", reason: "must be positive")
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var serial = configuration
        serial.parallelism = 1
        let one = try EnvironmentCatalog.make(name, count: environmentsOneCore, seed: seed, configuration: serial)
        let oneCore = measure(one, seconds: seconds, seed: seed)
        var parallel = configuration
        parallel.parallelism = cores
        let allCount = environmentsPerCore * cores
        let all = try EnvironmentCatalog.make(name, count: allCount, seed: seed, configuration: parallel)
        let allCores = measure(all, seconds: seconds, seed: seed)
        return EnvironmentBenchmarkResult(environment: name, stepsPerSecondOneCore: oneCore,
                                          stepsPerSecondAllCores: allCores, cores: cores,
                                          environmentsOneCore: environmentsOneCore, environmentsAllCores: allCount)
    }

    /// Environment steps per second of `env` under random actions, timed over at least `seconds`.
    public static func measure(_ env: any VectorEnv, seconds: Double, seed: UInt64) -> Double {
        // A table of random action batches, cycled, so that timing covers stepping only.
        let tableSize = 16
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 1))
        let discrete = env as? DiscreteVectorEnv
        let continuous = env as? ContinuousVectorEnv
        var discreteTable: [[Int32]] = []
        var continuousTable: [[Float]] = []
        switch env.actionSpace {
        case let .discrete(count):
            discreteTable = (0..<tableSize).map { _ in (0..<env.count).map { _ in Int32(rng.integer(below: count)) } }
        case let .continuous(dim, low, high):
            continuousTable = (0..<tableSize).map { _ in (0..<(env.count * dim)).map { _ in rng.uniform(low, high) } }
        }
        func stepOnce(_ k: Int) {
            if let discrete { discrete.step(actions: discreteTable[k % tableSize]) }
            else if let continuous { continuous.step(actions: continuousTable[k % tableSize]) }
        }
        for k in 0..<tableSize { stepOnce(k) } // warm-up
        let start = DispatchTime.now().uptimeNanoseconds
        var batches = 0
        var elapsed = 0.0
        repeat {
            for _ in 0..<16 {
                stepOnce(batches)
                batches += 1
            }
            _ = env.drainEpisodes()
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        } while elapsed < seconds
        return Double(batches * env.count) / elapsed
    }
}
