import Foundation
import Tensors

/// OpenAI-ES (Salimans et al. 2017) with antithetic sampling and Adam, as used by Lu et al.
/// (2022, "Meta-training") to meta-learn drift networks.
///
/// Generation `g` perturbs the mean with `P / 2` standard-normal directions `eps_k` drawn
/// from the stream `(seed, StreamID.make(.evolutionStrategies, g))`: member `2k` is
/// `mean + sigma * eps_k`, member `2k + 1` is `mean - sigma * eps_k`. From the shaped
/// fitness `s` the ascent-gradient estimate is
///
///     g = 1 / (P * sigma) * sum_i s_i * eps_i = 1 / (P * sigma) * sum_k (s_2k - s_2k+1) * eps_k
///
/// (the pairwise form makes pairs with equal fitness cancel exactly).
///
/// Sign convention: fitness is MAXIMISED. Adam is usually written for minimisation,
/// `theta -= lr * mhat / (sqrt(vhat) + eps)` on the loss gradient; here it is fed the
/// ascent direction `g` and the mean moves along `+lr * mhat / (sqrt(vhat) + eps)`, which
/// is the same as minimising `-fitness` with gradient `-g` (evosax negates fitness instead).
/// After the update sigma and the learning rate decay geometrically down to their floors.
public struct OpenAIES: EvolutionStrategy {
    /// Hyperparameters; the defaults are those of Lu et al. (2022), Table 1 and appendix.
    public struct Params: Sendable, Equatable, Codable {
        /// Initial perturbation scale.
        public var sigmaInit: Double = 0.04
        /// Factor applied to sigma after every generation.
        public var sigmaDecay: Double = 0.999
        /// Floor sigma never decays below.
        public var sigmaLimit: Double = 0.01
        /// Initial Adam learning rate on the mean.
        public var learningRate: Double = 0.01
        /// Factor applied to the learning rate after every generation.
        public var learningRateDecay: Double = 0.999
        /// Floor the learning rate never decays below.
        public var learningRateLimit: Double = 0.001
        /// Adam first-moment decay.
        public var beta1: Double = 0.99
        /// Adam second-moment decay.
        public var beta2: Double = 0.999
        /// Adam denominator epsilon.
        public var epsilon: Double = 1e-8

        public init() {}

        /// Throws naming the first field whose value is out of range.
        public func validate() throws {
            func require(_ ok: Bool, _ field: String, _ rule: String, _ value: Double) throws {
                if !ok { throw ESError.invalidConfiguration(field: field, reason: "\(rule), got \(value)") }
            }
            try require(sigmaInit > 0 && sigmaInit.isFinite, "sigmaInit", "must be positive and finite", sigmaInit)
            try require(sigmaDecay > 0 && sigmaDecay <= 1, "sigmaDecay", "must be in (0, 1]", sigmaDecay)
            try require(sigmaLimit >= 0 && sigmaLimit.isFinite, "sigmaLimit", "must be >= 0 and finite", sigmaLimit)
            try require(learningRate > 0 && learningRate.isFinite, "learningRate", "must be positive and finite", learningRate)
            try require(learningRateDecay > 0 && learningRateDecay <= 1, "learningRateDecay", "must be in (0, 1]",
                        learningRateDecay)
            try require(learningRateLimit >= 0 && learningRateLimit.isFinite, "learningRateLimit",
                        "must be >= 0 and finite", learningRateLimit)
            try require(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1)", beta1)
            try require(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1)", beta2)
            try require(epsilon > 0 && epsilon.isFinite, "epsilon", "must be positive and finite", epsilon)
        }
    }

    /// Dimension, population size and fitness shaping.
    public let settings: ESSettings
    /// Sigma and learning-rate schedules and Adam constants.
    public let params: Params

    /// Validates both and throws naming the bad field.
    public init(settings: ESSettings, params: Params = Params()) throws {
        try settings.validate()
        try params.validate()
        self.settings = settings
        self.params = params
    }

    /// Generation 0 of a run: the mean is `initialMean` (`[D]`) or zeros, Adam's moments are
    /// zero, sigma and the learning rate are at their initial values.
    public func initialState(seed: UInt64, initialMean: [Float]? = nil) throws -> ESState {
        let d = settings.dimension
        let mean = initialMean ?? [Float](repeating: 0, count: d)
        guard mean.count == d else {
            throw ESError.invalidState("initial mean has \(mean.count) entries, dimension is \(d)")
        }
        if let bad = mean.firstIndex(where: { !$0.isFinite }) {
            throw ESError.invalidState("initial mean entry \(bad) is \(mean[bad])")
        }
        return ESState(seed: seed, generation: 0, mean: mean,
                       adamFirstMoment: [Float](repeating: 0, count: d),
                       adamSecondMoment: [Float](repeating: 0, count: d),
                       adamStep: 0, sigma: params.sigmaInit, learningRate: params.learningRate)
    }

    /// Checks that a state (e.g. read from a checkpoint) fits these settings.
    public func validate(_ state: ESState) throws {
        let d = settings.dimension
        func require(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ESError.invalidState(message()) }
        }
        try require(state.mean.count == d, "mean has \(state.mean.count) entries, dimension is \(d)")
        try require(state.adamFirstMoment.count == d && state.adamSecondMoment.count == d,
                    "Adam moments have \(state.adamFirstMoment.count) and \(state.adamSecondMoment.count) entries, dimension is \(d)")
        try require(state.bestMember.map { $0.count == d } ?? true, "best member does not have \(d) entries")
        try require(state.generation >= 0 && state.adamStep >= 0, "generation \(state.generation) or Adam step \(state.adamStep) is negative")
        try require(state.sigma > 0 && state.sigma.isFinite, "sigma is \(state.sigma)")
        try require(state.learningRate > 0 && state.learningRate.isFinite, "learning rate is \(state.learningRate)")
        try require(state.mean.allSatisfy { $0.isFinite }, "mean has a non-finite entry")
    }

    // MARK: Sampling

    /// The random stream of one generation's noise: keyed by the run seed, one stream id per
    /// generation, so any generation's population can be rebuilt from `(seed, generation)`.
    public static func noiseStream(seed: UInt64, generation: Int) -> RandomStream {
        RandomStream(seed: seed, stream: StreamID.make(.evolutionStrategies, generation))
    }

    /// The standard-normal direction `eps_pair` (`[D]`) of a generation, drawn without
    /// generating the pairs before it: each normal uses exactly two stream words, so pair `k`
    /// starts at word `2 * D * k` and the stream is positioned there directly.
    public static func noise(seed: UInt64, generation: Int, pair: Int, dimension: Int) -> [Float] {
        precondition(pair >= 0 && dimension > 0, "pair \(pair) / dimension \(dimension) out of range")
        var stream = noiseStream(seed: seed, generation: generation)
        let word = UInt64(2 * dimension) * UInt64(pair)
        // `restore` takes the next block to generate and how many words of the current
        // (already generated) block are used; a block boundary is "block word/4, none left".
        do {
            if word % 4 == 0 {
                try stream.restore(blockIndex: word / 4, position: 4)
            } else {
                try stream.restore(blockIndex: word / 4 + 1, position: Int(word % 4))
            }
        } catch {
            preconditionFailure("seek to word \(word) produced an invalid stream state: \(error)")
        }
        var eps = [Float](repeating: 0, count: dimension)
        stream.fillNormal(&eps)
        return eps
    }

    /// Member `index` (`[D]`) of the population `ask(state)` returns, rebuilt from the seed,
    /// generation, mean and sigma alone (what an MPI worker holds).
    public func member(_ index: Int, of state: ESState) -> [Float] {
        precondition(index >= 0 && index < settings.populationSize, "member \(index) out of 0..<\(settings.populationSize)")
        let eps = Self.noise(seed: state.seed, generation: state.generation, pair: index / 2, dimension: settings.dimension)
        let sign: Float = index % 2 == 0 ? 1 : -1
        let scale = sign * Float(state.sigma)
        var x = state.mean
        for j in x.indices { x[j] += scale * eps[j] }
        return x
    }

    /// Antithetic population of `state.generation`: noise `[P / 2, D]` from the generation's
    /// stream in pair order, members `[P, D]` as `mean +- sigma * eps`.
    public func sample(_ state: ESState) -> ESPopulation {
        let d = settings.dimension, pairs = settings.pairCount
        precondition(state.mean.count == d, "state mean has \(state.mean.count) entries, dimension is \(d)")
        var stream = Self.noiseStream(seed: state.seed, generation: state.generation)
        var noise = [Float](repeating: 0, count: pairs * d)
        stream.fillNormal(&noise)
        var members = [Float](repeating: 0, count: 2 * pairs * d)
        let sigma = Float(state.sigma)
        for k in 0..<pairs {
            let plus = 2 * k * d, minus = plus + d, e = k * d
            for j in 0..<d {
                let step = sigma * noise[e + j]
                members[plus + j] = state.mean[j] + step
                members[minus + j] = state.mean[j] - step
            }
        }
        return ESPopulation(generation: state.generation, sigma: state.sigma,
                            members: Matrix(rows: 2 * pairs, cols: d, storage: members),
                            noise: Matrix(rows: pairs, cols: d, storage: noise))
    }

    // MARK: Update

    /// Ascent-gradient estimate `1 / (P * sigma) * sum_k (s_2k - s_2k+1) * eps_k`, `[D]`,
    /// from noise `[P / 2, D]` and shaped fitness `[P]` in member order. Accumulated in
    /// double precision.
    public static func gradient(noise: Matrix, shapedFitness: [Double], sigma: Double) -> [Double] {
        let pairs = noise.rows, d = noise.cols
        precondition(shapedFitness.count == 2 * pairs, "need \(2 * pairs) fitness values, got \(shapedFitness.count)")
        var g = [Double](repeating: 0, count: d)
        for k in 0..<pairs {
            let weight = shapedFitness[2 * k] - shapedFitness[2 * k + 1]
            if weight == 0 { continue }
            let row = k * d
            for j in 0..<d { g[j] += weight * Double(noise.storage[row + j]) }
        }
        let scale = 1 / (Double(2 * pairs) * sigma)
        for j in 0..<d { g[j] *= scale }
        return g
    }

    /// One Adam ascent step on the mean with the gradient estimate, then the sigma and
    /// learning-rate decays (each clipped at its floor).
    public func update(_ state: ESState, population: ESPopulation, shapedFitness: [Double]) -> ESState {
        let g = Self.gradient(noise: population.noise, shapedFitness: shapedFitness, sigma: state.sigma)
        var next = state
        let p = params
        let t = state.adamStep + 1
        let correction1 = 1 - pow(p.beta1, Double(t))
        let correction2 = 1 - pow(p.beta2, Double(t))
        for j in 0..<settings.dimension {
            let m = p.beta1 * Double(state.adamFirstMoment[j]) + (1 - p.beta1) * g[j]
            let v = p.beta2 * Double(state.adamSecondMoment[j]) + (1 - p.beta2) * g[j] * g[j]
            let step = state.learningRate * (m / correction1) / ((v / correction2).squareRoot() + p.epsilon)
            // Plus: ascent on fitness (see the type's sign convention).
            next.mean[j] = Float(Double(state.mean[j]) + step)
            next.adamFirstMoment[j] = Float(m)
            next.adamSecondMoment[j] = Float(v)
        }
        next.adamStep = t
        next.sigma = max(state.sigma * p.sigmaDecay, p.sigmaLimit)
        next.learningRate = max(state.learningRate * p.learningRateDecay, p.learningRateLimit)
        return next
    }
}
