/// Everything OpenAI-ES changes from one generation to the next: a complete, exact
/// checkpoint. Encoding to JSON and back gives an equal state (Swift prints the shortest
/// decimal that round-trips each Float and Double), so a resumed run continues
/// bit-identically.
public struct ESState: EvolutionState {
    /// The run seed: Philox key of every generation's noise stream.
    public var seed: UInt64
    /// Generations completed; the next `ask` samples generation `generation`.
    public var generation: Int
    /// Centre of the search distribution, `[D]`.
    public var mean: [Float]
    /// Adam's first-moment estimate of the ascent gradient, `[D]`.
    public var adamFirstMoment: [Float]
    /// Adam's second-moment estimate, `[D]`.
    public var adamSecondMoment: [Float]
    /// Adam steps taken (for bias correction).
    public var adamStep: Int
    /// Perturbation scale of the next generation.
    public var sigma: Double
    /// Adam learning rate of the next update.
    public var learningRate: Double
    /// The best population member evaluated so far, `[D]`, or nil before the first `tell`.
    public var bestMember: [Float]?
    /// Its raw fitness, or nil before the first `tell`.
    public var bestFitness: Double?
    /// Fitness statistics of the last generation told, or nil before the first `tell`.
    public var latest: ESGenerationSummary?

    public init(seed: UInt64, generation: Int, mean: [Float], adamFirstMoment: [Float], adamSecondMoment: [Float],
                adamStep: Int, sigma: Double, learningRate: Double, bestMember: [Float]? = nil,
                bestFitness: Double? = nil, latest: ESGenerationSummary? = nil) {
        self.seed = seed
        self.generation = generation
        self.mean = mean
        self.adamFirstMoment = adamFirstMoment
        self.adamSecondMoment = adamSecondMoment
        self.adamStep = adamStep
        self.sigma = sigma
        self.learningRate = learningRate
        self.bestMember = bestMember
        self.bestFitness = bestFitness
        self.latest = latest
    }
}
