import ArgumentParser
import Benchmarks
import Foundation

/// `driftlab bench ...`: measured throughput (build with `-c release` for real numbers).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput (run a release build: swift run -c release driftlab bench ...).",
        subcommands: [BenchEnv.self])
}

struct BenchEnv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Environment steps per second, on one core and over all cores, observations produced.")

    @Argument(help: "Environment name.") var env: String
    @OptionGroup var conventionOptions: ConventionOptions
    @Option(help: "Seconds per measurement.") var seconds: Double = 2
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let result = try EnvironmentBenchmark.run(env, configuration: try conventionOptions.configuration(for: env),
                                                  seconds: seconds)
        if json {
            print(try jsonString(result))
        } else {
            print(String(format: "%@: %.3g steps/s on one core (%d envs), %.3g steps/s on %d cores (%d envs)",
                         env, result.stepsPerSecondOneCore, result.environmentsOneCore,
                         result.stepsPerSecondAllCores, result.cores, result.environmentsAllCores))
        }
    }
}
