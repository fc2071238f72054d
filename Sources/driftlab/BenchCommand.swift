import ArgumentParser
import Benchmarks
import Drifts
import Environments
import Foundation
import Sweeps
import TaskCatalog
import Tensors
import Training

/// `driftlab bench ...`: measured throughput (build with `-c release` for real numbers).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (run a release build: swift run -c release driftlab bench ...).",
        subcommands: [BenchEnv.self, BenchMLP.self, BenchGEMM.self, BenchSparse.self, BenchTrain.self])
}

struct BenchEnv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Environment steps per second, on one core and over all cores, observations produced.")

    @Argument(help: "Environment name.", completion: Completions.environments) var env: String
    @OptionGroup var conventionOptions: ConventionOptions
    @Option(help: "Seconds per measurement.") var seconds: Double = 2
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Measure only the one-core rate (64 environments stepped serially), for profilers.") var oneCore = false

    func run() throws {
        let env = try EnvironmentNames.resolve(self.env)
        if oneCore {
            let rate = try EnvironmentBenchmark.runOneCore(env, configuration: try conventionOptions.configuration(for: env),
                                                           seconds: seconds)
            struct OneCore: Encodable {
                let environment: String
                let steps_per_second_one_core: Double
            }
            print(json ? try jsonString(OneCore(environment: env, steps_per_second_one_core: rate))
                       : String(format: "%@: %.3g steps/s on one core (64 envs)", env, rate))
            return
        }
        let result = try EnvironmentBenchmark.run(env, configuration: try conventionOptions.configuration(for: env),
                                                  seconds: seconds)
        if json {
            print(try jsonString(result))
        } else {
            print(String(format: "%@: %.3g steps/s on one core (%d envs), %.3g steps/s on %d cores (%d envs)",
                         env, result.stepsPerSecondOneCore, result.environmentsOneCore,
                         result.stepsPerSecondAllCores, result.cores, result.environmentsAllCores))
            if let physics = result.physicsStepsPerSecond, let frameSkip = result.frameSkip, let overhead = result.wrapperOverhead {
                print(String(format: "  physics: %.3g mj_step/s on one core, frame skip %d: the task wrapper takes %.1f%% of the time",
                             physics, frameSkip, 100 * overhead))
            }
        }
    }
}

struct BenchMLP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Training-step throughput (forward + backward + Adam) of the paper's networks, against single-core sgemm.")

    @Option(help: "Batch sizes, comma-separated.") var batches: String = "2048,1024"
    @Option(help: "Minimum seconds per measurement.") var seconds: Double = 0.5
    @Option(help: "Networks to time, comma-separated (default: all of \(MLPBenchmarkNetwork.paperNetworks.map(\.name).joined(separator: ", "))).")
    var networks: String?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        _ = try batchSizes()
        _ = try selectedNetworks()
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func batchSizes() throws -> [Int] {
        let sizes = batches.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !sizes.isEmpty, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw ValidationError("--batches '\(batches)' must be positive integers separated by commas")
        }
        return sizes.map { $0! }
    }

    func selectedNetworks() throws -> [MLPBenchmarkNetwork] {
        let all = MLPBenchmarkNetwork.paperNetworks
        guard let networks else { return all }
        return try networks.split(separator: ",").map { part in
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let network = all.first(where: { $0.name == name }) else {
                throw ValidationError("--networks: unknown network '\(name)' (\(all.map(\.name).joined(separator: ", ")))")
            }
            return network
        }
    }

    func run() throws {
        let results = runMLPBenchmark(networks: try selectedNetworks(), batchSizes: try batchSizes(), minimumSeconds: seconds)
        if json {
            print(try jsonString(results))
            return
        }
        for r in results {
            switch r.kind {
            case .trainingStep:
                print(String(format: "%@ batch %5d  %8.3f ms/step  %10.0f samples/s  %6.1f GFLOP/s  %4.2f of sgemm",
                             r.name.padding(toLength: 16, withPad: " ", startingAt: 0), r.batch, r.millisecondsPerCall, r.samplesPerSecond, r.gflops, r.fractionOfSgemm))
            case .sgemm:
                print(String(format: "%@ %6.1f GFLOP/s (one thread, %@ kernels)", r.name.padding(toLength: 16, withPad: " ", startingAt: 0), r.gflops, BLAS.coreName))
            case .elementwise:
                print(String(format: "%@ %6.2f ns/element", r.name.padding(toLength: 16, withPad: " ", startingAt: 0), r.nanosecondsPerElement))
            }
        }
    }
}

/// Options of the benchmarks that time two variants in turn, round after round, so that a
/// drifting machine affects both alike.
struct AlternatingRounds: ParsableArguments {
    @Option(help: "Rounds; each variant keeps its best.") var rounds: Int = 3
    @Option(help: "Minimum seconds per measurement.") var seconds: Double = 0.2
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive, got \(seconds)") }
    }
}

struct BenchGEMM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemm",
        abstract: "The networks' matrix products on DriftLab's AVX-512 kernel against OpenBLAS, one thread, in turn.")

    @OptionGroup var timing: AlternatingRounds

    func run() throws {
        let results = runGEMMBenchmark(rounds: timing.rounds, minimumSeconds: timing.seconds)
        if timing.json {
            print(try jsonString(results))
            return
        }
        print("GFLOP/s, one thread; OpenBLAS runs its \(BLAS.openBLASCoreName) kernels"
              + (BLAS.ownKernelAvailable ? "" : "; this CPU has no AVX-512, so only OpenBLAS is timed"))
        for r in results {
            let shape = "\(r.m)x\(r.n)x\(r.k) \(r.transA ? "T" : "N")\(r.transB ? "T" : "N")"
            print(String(format: "%@ %@  own %6.1f  OpenBLAS %6.1f  %5.2fx", r.name.padding(toLength: 35, withPad: " ", startingAt: 0),
                         shape.padding(toLength: 17, withPad: " ", startingAt: 0), r.ownGFLOPS, r.openBLASGFLOPS, r.speedUp))
        }
    }
}

struct BenchSparse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparse",
        abstract: "The MinAtar first layer on real Breakout observations: its forward two rows at a time against one, and its weight gradient in L1-sized blocks against one pass, in turn.")

    @Option(help: "Rows of the minibatch (a MinAtar shard has 512).") var rows: Int = 512
    @OptionGroup var timing: AlternatingRounds

    func validate() throws {
        guard (1...8192).contains(rows) else { throw ValidationError("--rows must be in 1...8192 (the observations of one rollout), got \(rows)") }
    }

    func run() throws {
        let r = try runSparseLayerBenchmark(rows: rows, rounds: timing.rounds, minimumSeconds: timing.seconds)
        if timing.json {
            print(try jsonString(r))
            return
        }
        print(String(format: "breakout minibatch of %d rows, %.1f set inputs a row, 400 -> 64 layer, one thread", r.rows, r.activePerRow))
        print(String(format: "forward, two rows                %9.1f us", r.forwardMicroseconds))
        print(String(format: "forward, one row                 %9.1f us   (%.2fx faster two rows at a time)", r.oneRowForwardMicroseconds, r.forwardSpeedUp))
        print(String(format: "gradient, blocked                %9.1f us", r.blockedGradientMicroseconds))
        print(String(format: "gradient, one pass               %9.1f us   (%.2fx faster blocked)",
                     r.onePassGradientMicroseconds, r.speedUp))
        print("both ways give the same bits: \(r.identical ? "yes" : "NO")")
    }
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "End-to-end training steps per second (rollout + learning) with a preset.")

    @Option(help: "Environment.", completion: Completions.environments) var env: String = "breakout"
    @Option(help: "Drift spec or file.", completion: Completions.drifts) var drift: String = "ppo"
    @Option(help: ArgumentHelp("Preset (default: by environment): \(Completions.presetHelp).", valueName: "preset"),
            completion: Completions.presets) var preset: String?
    @Option(help: "Timed updates.") var updates: Int = 20
    @Option(help: "Threads stepping the environments (default: all cores); with more than one, the preset's minibatch shards also run in parallel.")
    var parallelism: Int?
    @Flag(help: "Time one thread against --parallelism (default: all cores), in turn, twice, and print the speed-up.")
    var scaling = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        try OptionCheck.require("--updates", updates, in: 1...1_000_000)
        if let parallelism { try OptionCheck.require("--parallelism", parallelism, in: 1...4096) }
        _ = try resolvePreset(preset, environment: try EnvironmentNames.resolve(env))
    }

    func run() throws {
        let env = try EnvironmentNames.resolve(self.env)
        let chosen = try resolvePreset(preset, environment: env)
        let drift = try RunSettings.makeDrift(self.drift)
        guard scaling else {
            let result = try TrainingBenchmark.run(env: env, drift: drift, preset: chosen, updates: updates,
                                                   parallelism: parallelism)
            if json { print(try jsonString(result)) } else { print(line(result, env: env, preset: chosen)) }
            return
        }
        // One thread and many, alternating, so a drift in the machine's speed hits both alike.
        let many = parallelism ?? ProcessInfo.processInfo.activeProcessorCount
        guard many > 1 else {
            throw ValidationError("--scaling compares one thread with several: give --parallelism 2 or more "
                                  + "(this machine offers \(ProcessInfo.processInfo.activeProcessorCount) core\(ProcessInfo.processInfo.activeProcessorCount == 1 ? "" : "s"))")
        }
        var rows: [(threads: Int, result: TrainingBenchmarkResult)] = []
        for _ in 0..<2 {
            for threads in [1, many] {
                rows.append((threads, try TrainingBenchmark.run(env: env, drift: drift, preset: chosen, updates: updates,
                                                                parallelism: threads)))
            }
        }
        let best = { (threads: Int) in rows.filter { $0.threads == threads }.map(\.result.stepsPerSecond).max() ?? 0 }
        let speedUp = best(many) / best(1)
        if json {
            print(try jsonString(ScalingResult(threads: many, oneThread: rows.filter { $0.threads == 1 }.map(\.result),
                                               manyThreads: rows.filter { $0.threads == many }.map(\.result),
                                               speedUp: speedUp)))
            return
        }
        for row in rows { print("\(row.threads) thread\(row.threads == 1 ? "" : "s"): " + line(row.result, env: env, preset: chosen)) }
        print(String(format: "speed-up of %d threads over 1 (best of two each): %.2fx", many, speedUp))
    }

    private func line(_ result: TrainingBenchmarkResult, env: String, preset: TrainingPreset) -> String {
        String(format: "%@ with %@ (%@): %.0f steps/s end to end, %.3f s per update of %d steps (rollout %.3f, learning %.3f)",
               env, result.drift, preset.rawValue, result.stepsPerSecond, result.secondsPerUpdate, result.batchSize,
               result.rolloutSecondsPerUpdate, result.learningSecondsPerUpdate)
    }

    /// `--scaling --json`: both sets of rows and the speed-up.
    struct ScalingResult: Codable {
        var threads: Int
        var oneThread: [TrainingBenchmarkResult]
        var manyThreads: [TrainingBenchmarkResult]
        var speedUp: Double
        enum CodingKeys: String, CodingKey {
            case threads
            case oneThread = "one_thread"
            case manyThreads = "many_threads"
            case speedUp = "speed_up"
        }
    }
}
