import ArgumentParser
import Foundation
import MetaTraining
import Storage
import Tensors

/// `driftlab meta-signal`: is a meta-training run's ES gradient signal or noise?
struct MetaSignalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-signal",
        abstract: "Measure how much of an ES gradient estimate is signal at a meta-training run's current mean.",
        discussion: """
        Samples --pairs antithetic pairs mean ± sigma eps around the file's ES mean (directions from \
        --seed, not one of the run's generations) and trains every member --repeats times, each \
        repeat from its own inner seed shared by the whole probe (common random numbers, as in a \
        generation). A pair's fitness difference d is signal where the repeats agree on it and noise \
        where they do not: the command prints both standard deviations, the signal fraction of d's \
        variance (ICC(1), 95 % bootstrap interval over pairs) and the cosine between the repeats' \
        gradient estimates. Cost: 2 x pairs x repeats inner runs of the file's setting. Read-only: \
        the file is not changed. With --cache FILE.json every finished inner run is kept there: an \
        interrupted measurement resumes where it stopped, more --repeats add to it, and a finished \
        one is printed again without training. Example:
          driftlab meta-signal data/meta/lpo-breakout.h5 --pairs 16 --repeats 2 --cache signal.json
        """)

    @Argument(help: "Meta-training file (data/meta/*.h5).") var file: String
    @Option(parsing: .unconditional, help: "Antithetic pairs in the probe.") var pairs: Int = 16
    @Option(name: .customLong("repeats"), parsing: .unconditional, help: "Inner seeds each member is trained from.")
    var repeatCount: Int = 2
    @Option(parsing: .unconditional, help: "Perturbation scale (default: the run's current sigma).") var sigma: Double?
    @Option(help: "Seed of the probe's directions and inner seeds.") var seed: UInt64 = 1
    @Option(help: "Keep the inner runs' results in this JSON file and resume from it.") var cache: String?
    @Option(name: .customLong("workers"), parsing: .unconditional, help: "Parallel inner runs (default: every core).")
    var workersOption: Int?
    @Flag(help: "Print the result as JSON (with every pair difference).") var json = false
    @Flag(help: "No progress output.") var quiet = false

    var workers: Int { workersOption ?? ProcessInfo.processInfo.activeProcessorCount }

    func validate() throws {
        try OptionCheck.require("--pairs", pairs, in: 2...ESSettings.maximumPopulationSize / 2)
        try OptionCheck.require("--repeats", repeatCount, in: 2...100)
        if let sigma { try OptionCheck.requireFinite("--sigma", sigma, in: Double.leastNonzeroMagnitude...1e6) }
        try OptionCheck.require("--workers", workers, in: 1...4096)
    }

    func run() throws {
        MetaTrainCommand.continueWithTheKernelsOf(file)
        BLAS.setThreads(1)
        let run = try MetaTrainingRun.resume(from: URL(fileURLWithPath: file), provenance: [:], workers: workers)
        let sigma = self.sigma ?? run.state.sigma
        let probe = try run.signalProbe(pairs: pairs, sigma: sigma, seed: seed)
        let identity = run.signalProbeIdentity(pairs: pairs, sigma: sigma, seed: seed)
        let lock = try cache.map { try OutputLock.acquire(URL(fileURLWithPath: $0)) }
        defer { lock?.release() }
        let stored = LockedValue(try cache.map { try Self.readCache($0, probe: identity) } ?? SignalCache(probe: identity))
        let d = run.description
        let header = "\(file): \(d.drift.rawValue) on \(d.inner.environments.joined(separator: "+")), \(d.inner.config.totalSteps) "
            + "inner steps, ES mean after \(run.state.generation) generations"
        let already = stored.withValue { $0.recorded(repeats: repeatCount) }
        // With --json, stdout is the result: the progress goes to stderr.
        let progress = CountProgress(total: probe.count * repeatCount - already, unit: "inner runs", quiet: quiet, toStandardError: json)
        if !quiet && !json {
            print(header)
            if already > 0 { print("\(already) inner runs from \(cache!)") }
        }
        let members = probe.count, cache = self.cache
        let signal = try run.measureSignal(probe: probe, repeats: repeatCount, seed: seed,
                                           known: stored.withValue { $0.returns }) { r, i, returns in
            if let cache {
                // One writer at a time, each write whole (temp + rename): an interruption
                // loses at most the runs in flight.
                stored.withValue { cached in
                    cached.record(repeat: r, member: i, returns: returns, members: members)
                    try? Self.writeCache(cached, to: cache)
                }
            }
            progress.advance()
        }
        progress.finish()
        if let cache { try Self.writeCache(stored.withValue { $0 }, to: cache) }
        if json {
            let object = Report(file: file, generation: run.state.generation, sigma: sigma, pairs: pairs, repeats: repeatCount,
                                seed: seed, differences: signal.differences, signalSD: signal.signalSD, noiseSD: signal.noiseSD,
                                signalFraction: signal.signalFraction, signalFractionInterval: signal.signalFractionInterval,
                                gradientCosine: signal.gradientCosine)
            print(try jsonString(object))
        } else {
            if quiet { print(header) }
            print(Self.text(signal, sigma: sigma, pairs: pairs, repeats: repeatCount))
        }
    }

    /// The cache at `path` (a new one when it does not exist); one made for another probe is
    /// an error naming what differs, since its runs would be the wrong ones.
    static func readCache(_ path: String, probe: SignalCache.Probe) throws -> SignalCache {
        guard FileManager.default.fileExists(atPath: path) else { return SignalCache(probe: probe) }
        let cached: SignalCache
        do {
            cached = try JSONDecoder().decode(SignalCache.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CLIError("--cache '\(path)' is not a meta-signal cache: \(error.localizedDescription)")
        }
        guard cached.format == SignalCache.format else {
            throw CLIError("--cache '\(path)' has format '\(cached.format)', expected '\(SignalCache.format)'")
        }
        let a = cached.probe, b = probe
        let differs = [("drift", a.drift != b.drift), ("inner setting", a.inner != b.inner), ("generation", a.generation != b.generation),
                       ("ES mean", a.meanDigest != b.meanDigest), ("sigma", a.sigma != b.sigma), ("seed", a.seed != b.seed),
                       ("pairs", a.pairs != b.pairs)].filter(\.1).map(\.0)
        guard differs.isEmpty else {
            throw CLIError("--cache '\(path)' was made for another probe (its \(differs.joined(separator: ", ")) differ); "
                + "remove it or name another file")
        }
        guard cached.returns.allSatisfy({ $0.count == 2 * probe.pairs }) else {
            throw CLIError("--cache '\(path)': a repeat does not have \(2 * probe.pairs) members")
        }
        return cached
    }

    static func writeCache(_ cache: SignalCache, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try writeAtomically(try encoder.encode(cache), to: path)
    }

    struct Report: Encodable {
        var file: String, generation: Int, sigma: Double, pairs: Int, repeats: Int, seed: UInt64
        var differences: [[Double]]
        var signalSD: Double, noiseSD: Double, signalFraction: Double, signalFractionInterval: [Double], gradientCosine: Double
    }

    static func text(_ s: GradientSignal, sigma: Double, pairs: Int, repeats: Int) -> String {
        ([String(format: "probe: %d antithetic pairs at sigma %.4f, %d repeats (inner seed shared within a repeat)", pairs, sigma, repeats),
         "pair differences F(mean + sigma eps) - F(mean - sigma eps):",
         String(format: "  signal s.d. %.3g (what the repeats agree on), noise s.d. %.3g (one pair across repeats)", s.signalSD, s.noiseSD),
         String(format: "  signal fraction (ICC) %.3f, 95 %% bootstrap interval over pairs [%.3f, %.3f]", s.signalFraction,
                s.signalFractionInterval[0], s.signalFractionInterval[1]),
         String(format: "  cosine between the repeats' gradient estimates %.3f", s.gradientCosine)]
            + (s.signalSD == 0 && s.noiseSD == 0
               ? ["  note: every pair scored alike, so the fraction is undefined; with a bias-free tanh drift network a sigma"
                  + " far above the mean's weights makes mean + sigma eps and mean - sigma eps nearly the same function"]
               : [])).joined(separator: "\n")
    }
}
