import Foundation
import Tensors

/// How much of an ES gradient estimate is signal, measured at a meta-training run's mean.
///
/// OpenAI-ES moves the mean along `sum_k d_k eps_k`, where `d_k = F(m + sigma eps_k) -
/// F(m - sigma eps_k)` is pair k's fitness difference under the generation's shared inner
/// seed. Part of `d_k` is the drift perturbation's real effect on training (the same whatever
/// the seed); the rest is how two inner runs from one seed diverge once their drifts differ
/// at all. Evaluating the same pairs again from other inner seeds separates the two: the
/// variance of `d` between pairs that repeats agree on is signal, the variance between
/// repeats of one pair is noise (a one-way random-effects analysis, pairs as groups).
///
/// When the signal fraction is near zero, the update direction is a random walk: the mean
/// drifts, its features change, and fitness stays flat, whatever the generations run.
public struct GradientSignal: Sendable, Equatable, Codable {
    /// Pair differences `[repeat][pair]`.
    public var differences: [[Double]]
    /// Standard deviation of the part of `d` that repeats share (0 when the between-pair
    /// spread is no larger than noise alone explains).
    public var signalSD: Double
    /// Standard deviation of one pair's `d` across repeats.
    public var noiseSD: Double
    /// Intraclass correlation ICC(1): the fraction of one `d`'s variance that is signal.
    /// Negative estimates (sampling error around 0) are kept, not clipped; NaN when every
    /// difference is the same (no variance to split).
    public var signalFraction: Double
    /// 95 % percentile bootstrap interval of `signalFraction`, resampling pairs, as
    /// `[lower, upper]` (NaN when no resample has any variance).
    public var signalFractionInterval: [Double]
    /// Mean over repeat pairs of the cosine between their gradient estimates
    /// `sum_k d_k eps_k` (same directions, other inner seeds): 1 when the seed does not
    /// matter, about 0 when the update is noise.
    public var gradientCosine: Double

    /// The statistics of `differences` (`[repeat][pair]`, at least 2 repeats of at least 2
    /// pairs) with the pairs' directions `noise` (`[pairs, D]`).
    public init(differences: [[Double]], noise: Matrix, bootstrapSamples: Int = 2000, seed: UInt64 = 0) {
        let repeats = differences.count, pairs = differences.first?.count ?? 0
        precondition(repeats >= 2 && pairs >= 2 && differences.allSatisfy { $0.count == pairs },
                     "need at least 2 repeats of the same at least 2 pairs")
        precondition(noise.rows == pairs, "noise has \(noise.rows) rows for \(pairs) pairs")
        self.differences = differences
        let anova = Self.oneWay(differences, pairs: Array(0..<pairs))
        signalFraction = anova.icc
        signalSD = max(anova.signalVariance, 0).squareRoot()
        noiseSD = anova.noiseVariance.squareRoot()
        var stream = RandomStream(seed: seed, stream: StreamID.make(.bootstrap))
        var draws: [Double] = []
        for _ in 0..<bootstrapSamples {
            let sample = (0..<pairs).map { _ in stream.integer(below: pairs) }
            let icc = Self.oneWay(differences, pairs: sample).icc
            if icc.isFinite { draws.append(icc) }
        }
        draws.sort()
        signalFractionInterval = draws.isEmpty ? [.nan, .nan] : [Self.quantile(draws, 0.025), Self.quantile(draws, 0.975)]
        // The ES estimate itself, with each pair's difference as its weight (scale is
        // irrelevant to a cosine).
        let gradients = differences.map { d in
            OpenAIES.gradient(noise: noise, shapedFitness: d.flatMap { [$0, 0] }, sigma: 1)
        }
        var cosines: [Double] = []
        for a in 0..<repeats {
            for b in (a + 1)..<repeats { cosines.append(Self.cosine(gradients[a], gradients[b])) }
        }
        gradientCosine = cosines.reduce(0, +) / Double(cosines.count)
    }

    /// One-way random-effects ANOVA over the given pairs (indices may repeat: bootstrap):
    /// between-pair mean square `MSB`, within-pair `MSW`, ICC(1) = `(MSB - MSW) / (MSB + (K - 1) MSW)`,
    /// signal variance `(MSB - MSW) / K`, noise variance `MSW`.
    static func oneWay(_ d: [[Double]], pairs: [Int]) -> (icc: Double, signalVariance: Double, noiseVariance: Double) {
        let k = Double(d.count), n = Double(pairs.count)
        let means = pairs.map { p in d.reduce(0) { $0 + $1[p] } / k }
        let grand = means.reduce(0, +) / n
        let between = k * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / (n - 1)
        var within = 0.0
        for (i, p) in pairs.enumerated() { for r in d.indices { within += (d[r][p] - means[i]) * (d[r][p] - means[i]) } }
        within /= n * (k - 1)
        let denominator = between + (k - 1) * within
        return (denominator > 0 ? (between - within) / denominator : .nan, (between - within) / k, within)
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return na > 0 && nb > 0 ? dot / (na * nb) : .nan
    }

    /// Linear-interpolation quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}

extension MetaTrainingRun {
    /// The probe population of `GradientSignal`: `pairs` antithetic pairs around the run's
    /// current mean at `sigma`, with directions drawn from `seed` (a stream no generation of
    /// the run uses, so the probe is not one of its populations).
    public func signalProbe(pairs: Int, sigma: Double, seed: UInt64) throws -> ESPopulation {
        let settings = ESSettings(dimension: description.settings.dimension, populationSize: 2 * pairs,
                                  fitnessShaping: description.settings.fitnessShaping)
        var probe = state
        probe.seed = seed
        probe.generation = Self.signalGeneration
        probe.sigma = sigma
        return try OpenAIES(settings: settings, params: description.params).sample(probe)
    }

    /// The generation number whose noise stream and inner seeds the probe uses: far beyond
    /// any run's length, so they never coincide with a generation's.
    static let signalGeneration = 1 << 40

    /// The inner seed of repeat `r` of a signal measurement.
    public static func signalSeed(_ seed: UInt64, repeat r: Int) -> UInt64 {
        generationSeed(seed, generation: signalGeneration + r)
    }

    /// Trains every member of `probe` from the inner seeds of `repeats` repeats (shared by the
    /// whole probe within a repeat, as within a generation) and measures the signal in the
    /// pair differences. `known[r][i]`, where given, is member i's per-environment returns in
    /// repeat r from an earlier, interrupted measurement: it is not trained again. `finished`
    /// gets every newly trained member's returns (from worker threads), so a caller can keep them.
    public func measureSignal(probe: ESPopulation, repeats: Int, seed: UInt64, known: [[[Double]?]] = [],
                              finished: @escaping @Sendable (_ repeat: Int, _ member: Int, _ returns: [Double]) -> Void = { _, _, _ in })
        throws -> GradientSignal {
        var differences: [[Double]] = []
        for r in 0..<repeats {
            var returns: [[Double]?] = r < known.count ? known[r] : []
            if returns.count != probe.count { returns = Array(repeating: nil, count: probe.count) }
            let missing = (0..<probe.count).filter { returns[$0] == nil }
            if !missing.isEmpty {
                var broken: Int?
                let trained = try memberReturns(probe, members: missing, seed: Self.signalSeed(seed, repeat: r)) { i, value in
                    if let value { finished(r, i, value) }
                }
                for i in missing {
                    returns[i] = trained[i]
                    if trained[i] == nil && broken == nil { broken = i }
                }
                if let broken {
                    throw ESError.invalidState("probe member \(broken) broke in repeat \(r) (non-finite loss); "
                        + "a smaller --sigma keeps the probe nearer the mean")
                }
            }
            let fitness: [Double] = InnerTraining.combine(returns.compactMap { $0 })
            var pairDifferences: [Double] = []
            for k in 0..<(probe.count / 2) { pairDifferences.append(fitness[2 * k] - fitness[2 * k + 1]) }
            differences.append(pairDifferences)
        }
        return GradientSignal(differences: differences, noise: probe.noise, seed: seed)
    }
}

/// The inner runs of a signal measurement kept in a JSON file, so that an interrupted
/// measurement resumes where it stopped and a finished one is reprinted without training
/// (a notebook reruns it for free). It is tied to one probe: the run's setting and mean, and
/// the probe's sigma, seed and pairs; more repeats can be added to it later.
public struct SignalCache: Codable, Equatable, Sendable {
    /// What identifies the probe.
    public struct Probe: Codable, Equatable, Sendable {
        public var drift: String
        public var inner: InnerTraining
        public var generation: Int
        /// FNV-1a (64 bits, hex) of the mean's Float bit patterns.
        public var meanDigest: String
        public var sigma: Double
        public var seed: UInt64
        public var pairs: Int
    }

    public static let format = "driftlab-meta-signal-1"
    public var format = SignalCache.format
    public var probe: Probe
    /// `returns[repeat][member]`: per-environment returns, nil where not trained yet.
    public var returns: [[[Double]?]]

    public init(probe: Probe, returns: [[[Double]?]] = []) {
        self.probe = probe
        self.returns = returns
    }

    /// Records member `i`'s returns in repeat `r` of a probe of `members` members.
    public mutating func record(repeat r: Int, member i: Int, returns value: [Double], members: Int) {
        while returns.count <= r { returns.append(Array(repeating: nil, count: members)) }
        returns[r][i] = value
    }

    /// Inner runs recorded so far in the first `repeats` repeats (all of them by default).
    public func recorded(repeats: Int = .max) -> Int {
        returns.prefix(repeats).reduce(0) { $0 + $1.filter { $0 != nil }.count }
    }
}

extension MetaTrainingRun {
    /// The identity of the probe `signalProbe(pairs:sigma:seed:)` makes from this run.
    public func signalProbeIdentity(pairs: Int, sigma: Double, seed: UInt64) -> SignalCache.Probe {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in state.mean {
            var bits = x.bitPattern
            for _ in 0..<4 { hash = (hash ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3; bits >>= 8 }
        }
        return SignalCache.Probe(drift: description.drift.rawValue, inner: description.inner, generation: state.generation,
                                 meanDigest: String(hash, radix: 16), sigma: sigma, seed: seed, pairs: pairs)
    }
}
