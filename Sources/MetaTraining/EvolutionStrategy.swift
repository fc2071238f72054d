/// The bookkeeping every evolution-strategy state carries, so that `tell` can do it once
/// for all strategies.
public protocol EvolutionState: Sendable, Codable, Equatable {
    /// Generations completed (the number of `tell`s); also the index of the next population.
    var generation: Int { get set }
    /// The best population member evaluated so far (raw fitness), or nil before the first `tell`.
    var bestMember: [Float]? { get set }
    /// Its raw fitness, or nil before the first `tell`.
    var bestFitness: Double? { get set }
    /// Fitness statistics of the last generation told, or nil before the first `tell`.
    var latest: ESGenerationSummary? { get set }
}

/// An evolution strategy in the evosax style: fixed `settings`, hyperparameters held by the
/// strategy, and a `State` value threaded through `ask` and `tell`.
///
/// A strategy writes only its own sampling (`sample`) and search-distribution update
/// (`update`); checking and shaping fitness, the generation counter, best-so-far and the
/// per-generation summary are done once here, in `tell`. Fitness is maximised.
public protocol EvolutionStrategy: Sendable {
    /// What changes every generation; checkpoint it whole.
    associatedtype State: EvolutionState

    /// Dimension, population size and fitness shaping.
    var settings: ESSettings { get }

    /// The population of `state.generation`. Must be a pure function of `state`, so that
    /// `tell` can rebuild it and a resumed run asks the same members.
    func sample(_ state: State) -> ESPopulation

    /// The strategy's own step: moves the search distribution given the shaped fitness
    /// (`[P]`, higher is better) of `population`. Leaves the shared bookkeeping alone.
    func update(_ state: State, population: ESPopulation, shapedFitness: [Double]) -> State
}

extension EvolutionStrategy {
    /// The candidates to evaluate this generation, `[P, D]`. Does not change the state:
    /// all randomness comes from `(seed, generation)`, so there is no key to advance.
    public func ask(_ state: State) -> ESPopulation {
        sample(state)
    }

    /// Reports the raw fitness (`[P]`, higher is better, in member order) of the population
    /// `ask(state)` returned, and returns the next state: the strategy's update, then
    /// best-so-far, the generation summary and `generation + 1`.
    ///
    /// Throws if the count is wrong or a value is NaN/infinite; map failed inner runs to a
    /// finite penalty before calling.
    public func tell(_ state: State, fitness: [Double]) throws -> State {
        guard fitness.count == settings.populationSize else {
            throw ESError.fitnessCount(expected: settings.populationSize, got: fitness.count)
        }
        if let bad = fitness.firstIndex(where: { !$0.isFinite }) {
            throw ESError.nonFiniteFitness(member: bad, value: fitness[bad])
        }
        let population = sample(state)
        var next = update(state, population: population, shapedFitness: settings.fitnessShaping.shape(fitness))

        // MARK: Best so far (raw fitness; the first member wins ties within a generation,
        // an earlier generation wins ties across generations).
        var top = 0
        for i in fitness.indices where fitness[i] > fitness[top] { top = i }
        if state.bestFitness.map({ fitness[top] > $0 }) ?? true {
            next.bestFitness = fitness[top]
            next.bestMember = population.member(top)
        }

        // MARK: Summary for the history.
        var sum = 0.0
        for f in fitness { sum += f }
        let mean = sum / Double(fitness.count)
        var squares = 0.0
        for f in fitness { squares += (f - mean) * (f - mean) }
        next.latest = ESGenerationSummary(
            generation: state.generation, meanFitness: mean,
            maxFitness: fitness[top], minFitness: fitness.min()!,
            sdFitness: (squares / Double(fitness.count)).squareRoot(),
            bestFitnessSoFar: next.bestFitness!)
        next.generation = state.generation + 1
        return next
    }
}
