import Dispatch
import Environments
import Foundation
import MuJoCoEnvironments
import TaskCatalog
import Tensors

/// Environment throughput of one task: steps per second with dense observations produced,
/// on one core and across every core through `EnvironmentBatch`.
public struct EnvironmentBenchmarkResult: Sendable, Equatable, Codable {
    /// Task name.
    public var environment: String
    /// Environment steps per second, one core (serial `EnvironmentBatch` of `environmentsOneCore`).
    public var stepsPerSecondOneCore: Double
    /// Environment steps per second, every active core (`environmentsAllCores` environments).
    public var stepsPerSecondAllCores: Double
    /// Active processor count during the measurement.
    public var cores: Int
    /// Batch size of the one-core measurement.
    public var environmentsOneCore: Int
    /// Batch size of the all-cores measurement.
    public var environmentsAllCores: Int
    /// MuJoCo tasks only: raw `mj_step` calls per second of the same model on one core.
    public var physicsStepsPerSecond: Double?
    /// MuJoCo tasks only: physics steps per environment step.
    public var frameSkip: Int?
    /// MuJoCo tasks only: the share of one-core time spent outside `mj_step` (observations,
    /// rewards, resets, batching): `1 - steps_one_core * frame_skip / physics_steps_per_second`.
    public var wrapperOverhead: Double? {
        guard let physicsStepsPerSecond, let frameSkip else { return nil }
        return 1 - stepsPerSecondOneCore * Double(frameSkip) / physicsStepsPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case environment
        case stepsPerSecondOneCore = "steps_per_second_one_core"
        case stepsPerSecondAllCores = "steps_per_second_all_cores"
        case cores
        case environmentsOneCore = "environments_one_core"
        case environmentsAllCores = "environments_all_cores"
        case physicsStepsPerSecond = "physics_steps_per_second"
        case frameSkip = "frame_skip"
        case wrapperOverhead = "wrapper_overhead"
    }

    public init(environment: String, stepsPerSecondOneCore: Double, stepsPerSecondAllCores: Double, cores: Int,
                environmentsOneCore: Int, environmentsAllCores: Int, physicsStepsPerSecond: Double? = nil, frameSkip: Int? = nil) {
        self.environment = environment
        self.stepsPerSecondOneCore = stepsPerSecondOneCore
        self.stepsPerSecondAllCores = stepsPerSecondAllCores
        self.cores = cores
        self.environmentsOneCore = environmentsOneCore
        self.environmentsAllCores = environmentsAllCores
        self.physicsStepsPerSecond = physicsStepsPerSecond
        self.frameSkip = frameSkip
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(environment: try c.decode(String.self, forKey: .environment),
                  stepsPerSecondOneCore: try c.decode(Double.self, forKey: .stepsPerSecondOneCore),
                  stepsPerSecondAllCores: try c.decode(Double.self, forKey: .stepsPerSecondAllCores),
                  cores: try c.decode(Int.self, forKey: .cores),
                  environmentsOneCore: try c.decode(Int.self, forKey: .environmentsOneCore),
                  environmentsAllCores: try c.decode(Int.self, forKey: .environmentsAllCores),
                  physicsStepsPerSecond: try c.decodeIfPresent(Double.self, forKey: .physicsStepsPerSecond),
                  frameSkip: try c.decodeIfPresent(Int.self, forKey: .frameSkip))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(environment, forKey: .environment)
        try c.encode(stepsPerSecondOneCore, forKey: .stepsPerSecondOneCore)
        try c.encode(stepsPerSecondAllCores, forKey: .stepsPerSecondAllCores)
        try c.encode(cores, forKey: .cores)
        try c.encode(environmentsOneCore, forKey: .environmentsOneCore)
        try c.encode(environmentsAllCores, forKey: .environmentsAllCores)
        try c.encodeIfPresent(physicsStepsPerSecond, forKey: .physicsStepsPerSecond)
        try c.encodeIfPresent(frameSkip, forKey: .frameSkip)
        try c.encodeIfPresent(wrapperOverhead, forKey: .wrapperOverhead)
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
        let one = try serialBatch(name, configuration: configuration, count: environmentsOneCore, seed: seed)
        let oneCore: Double
        var physics: Double?
        var frameSkip: Int?
        if let task = MuJoCoCatalog.task(named: name) {
            // The wrapper's share is a small difference of two rates, and this machine's speed
            // drifts by tens of percent over seconds: alternate short slices of environment and
            // physics stepping, and keep the median of each.
            frameSkip = task.frameSkip
            let replay = try PhysicsReplay(task, seed: seed)
            let slice = max(0.05, seconds / 4)
            var environmentRates: [Double] = [], physicsRates: [Double] = []
            for _ in 0..<8 {
                environmentRates.append(measure(one, seconds: slice, seed: seed))
                physicsRates.append(replay.measure(seconds: slice))
            }
            oneCore = median(environmentRates)
            physics = median(physicsRates)
        } else {
            oneCore = measure(one, seconds: seconds, seed: seed)
        }
        var parallel = configuration
        parallel.parallelism = cores
        let allCount = environmentsPerCore * cores
        let all = try EnvironmentCatalog.make(name, count: allCount, seed: seed, configuration: parallel)
        let allCores = measure(all, seconds: seconds, seed: seed)
        return EnvironmentBenchmarkResult(environment: name, stepsPerSecondOneCore: oneCore,
                                          stepsPerSecondAllCores: allCores, cores: cores,
                                          environmentsOneCore: environmentsOneCore, environmentsAllCores: allCount,
                                          physicsStepsPerSecond: physics, frameSkip: frameSkip)
    }

    /// Environment steps per second of task `name` on one core only (`environments` stepped
    /// serially): the part of `run` that an instruction-counting profiler needs
    /// (`scripts/wrapper-share.sh` runs it under callgrind).
    public static func runOneCore(_ name: String, configuration: EnvironmentConfiguration = EnvironmentConfiguration(),
                                  seconds: Double = 1.0, environments: Int = 64, seed: UInt64 = 0) throws -> Double {
        guard seconds > 0 else {
            throw EnvironmentError.invalidOption(option: "benchmark seconds", value: "\(seconds)", reason: "must be positive")
        }
        return measure(try serialBatch(name, configuration: configuration, count: environments, seed: seed),
                       seconds: seconds, seed: seed)
    }

    private static func serialBatch(_ name: String, configuration: EnvironmentConfiguration, count: Int,
                                    seed: UInt64) throws -> any EnvironmentBatch {
        var serial = configuration
        serial.parallelism = 1
        return try EnvironmentCatalog.make(name, count: count, seed: seed, configuration: serial)
    }

    /// Environment steps per second of `env` under random actions, timed over at least `seconds`.
    public static func measure(_ env: any EnvironmentBatch, seconds: Double, seed: UInt64) -> Double {
        // A table of random action batches, cycled, so that timing covers stepping only.
        let tableSize = 16
        var rng = RandomStream(seed: seed, stream: StreamID.make(.actionSampling, 1))
        let table: [ActionBatch]
        switch env.actionSpace {
        case let .discrete(count):
            table = (0..<tableSize).map { _ in .discrete((0..<env.count).map { _ in Int32(rng.integer(below: count)) }) }
        case let .continuous(dim, low, high):
            table = (0..<tableSize).map { _ in .continuous((0..<(env.count * dim)).map { _ in rng.uniform(low, high) }) }
        }
        func stepOnce(_ k: Int) { env.step(table[k % tableSize]) }
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

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
