import Tensors

/// One generation's candidates, as returned by `ask`.
///
/// Members come in antithetic pairs: for pair `k`, member `2k` is `mean + sigma * eps_k`
/// and member `2k + 1` is `mean - sigma * eps_k`. The whole value is a pure function of the
/// state it was asked from, so a worker holding `(seed, generation, mean, sigma)` rebuilds
/// any member without receiving it (see `OpenAIES.member(_:of:)`).
public struct ESPopulation: Sendable, Equatable {
    /// The generation these members belong to (the state's `generation` at `ask`).
    public let generation: Int
    /// Perturbation scale used for this generation.
    public let sigma: Double
    /// Candidate parameter vectors, `[P, D]` row-major.
    public let members: Matrix
    /// Standard-normal perturbation directions, `[P / 2, D]`, row `k` for pair `k`.
    public let noise: Matrix

    public init(generation: Int, sigma: Double, members: Matrix, noise: Matrix) {
        precondition(members.rows == 2 * noise.rows && members.cols == noise.cols,
                     "members [\(members.rows), \(members.cols)] do not pair with noise [\(noise.rows), \(noise.cols)]")
        self.generation = generation
        self.sigma = sigma
        self.members = members
        self.noise = noise
    }

    /// Population size `P`.
    public var count: Int { members.rows }
    /// Search-space dimension `D`.
    public var dimension: Int { members.cols }

    /// Member `index` as a vector of length `D`.
    public func member(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < count, "member \(index) out of 0..<\(count)")
        let start = index * dimension
        return Array(members.storage[start..<(start + dimension)])
    }
}

/// Fitness statistics of one generation, for the run history (one row per `tell`).
public struct ESGenerationSummary: Sendable, Equatable, Codable {
    /// The generation the fitness belongs to.
    public var generation: Int
    /// Mean raw fitness over the population.
    public var meanFitness: Double
    /// Highest raw fitness in the population.
    public var maxFitness: Double
    /// Lowest raw fitness in the population.
    public var minFitness: Double
    /// Population standard deviation of the raw fitness.
    public var sdFitness: Double
    /// Best raw fitness seen in any generation so far, this one included.
    public var bestFitnessSoFar: Double

    public init(generation: Int, meanFitness: Double, maxFitness: Double, minFitness: Double,
                sdFitness: Double, bestFitnessSoFar: Double) {
        self.generation = generation
        self.meanFitness = meanFitness
        self.maxFitness = maxFitness
        self.minFitness = minFitness
        self.sdFitness = sdFitness
        self.bestFitnessSoFar = bestFitnessSoFar
    }
}
