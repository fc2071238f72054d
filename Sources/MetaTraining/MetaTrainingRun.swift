import Dispatch
import Drifts
import Foundation
import Storage
import Tensors
import Training

/// Everything that defines a meta-training run; stored in its file, enough to resume.
public struct MetaTrainingDescription: Sendable, Codable, Equatable {
    /// The drift family being discovered (`lpo`, `lpo-zero`, `ta-lpo`).
    public var drift: DriftKind
    /// Shift of the drift network's outer ReLU.
    public var xi: Float
    public var settings: ESSettings
    public var params: OpenAIES.Params
    public var seed: UInt64
    /// Generations to run in total.
    public var generations: Int
    public var inner: InnerTraining

    public init(drift: DriftKind, xi: Float, settings: ESSettings, params: OpenAIES.Params, seed: UInt64,
                generations: Int, inner: InnerTraining) {
        self.drift = drift
        self.xi = xi
        self.settings = settings
        self.params = params
        self.seed = seed
        self.generations = generations
        self.inner = inner
    }
}

/// One generation's record in `/es/history`.
public struct GenerationRecord: Sendable, Codable, Equatable {
    public var generation: Int
    /// Fitness of every member, in population order.
    public var fitness: [Double]
    public var sigma: Double
    public var learningRate: Double
    public var seconds: Double
    /// Every member's final return on each inner environment (`[member][environment]`, NaN
    /// where the inner run broke), before `InnerTraining.combine`. With several environments
    /// the fitness is a z-score whose population mean is 0 by construction, so only these
    /// say whether the population trains better. Nil in files written before it was kept.
    public var returns: [[Double]]? = nil
}

/// Meta-training (Lu et al. 2022, Section 4): OpenAI-ES over a drift network's parameters,
/// each member's fitness the final return of a whole inner training run with that drift.
/// The population shares one environment seed per generation (common random numbers) and is
/// spread over local cores; the file (drift = current mean, ES state, history) is rewritten
/// atomically after every generation, and `resume` continues bit-identically.
public final class MetaTrainingRun {
    public let description: MetaTrainingDescription
    public let url: URL
    public let strategy: OpenAIES
    public private(set) var state: ESState
    public private(set) var history: [GenerationRecord]
    private let provenance: [String: String]
    /// Parallel inner runs (one per core by default).
    public var workers: Int
    /// The MPI job this run is part of (nil: one process). Rank 0 owns the state and the
    /// file; each rank evaluates the members whose index modulo the job size is its rank.
    public var communicator: MPICommunicator?
    /// Called on a worker's thread each time one of this process's members has finished its
    /// inner runs (for a progress bar within a generation).
    public var memberFinished: (@Sendable () -> Void)?

    /// A new run from the all-zero mean (LPO then starts exactly at PPO).
    public init(description: MetaTrainingDescription, url: URL, provenance: [String: String], workers: Int) throws {
        let template = try NetworkDrift.make(description.drift, xi: description.xi)
        guard description.settings.dimension == template.parameterCount else {
            throw ESError.invalidConfiguration(field: "dimension", reason: "\(description.drift.rawValue) networks have "
                + "\(template.parameterCount) parameters, settings say \(description.settings.dimension)")
        }
        guard description.generations >= 1 else {
            throw ESError.invalidConfiguration(field: "generations", reason: "must be at least 1, got \(description.generations)")
        }
        guard workers >= 1 else { throw ESError.invalidConfiguration(field: "workers", reason: "must be at least 1") }
        try description.inner.config.validate()
        self.description = description
        self.url = url
        self.provenance = provenance
        self.workers = workers
        strategy = try OpenAIES(settings: description.settings, params: description.params)
        state = try strategy.initialState(seed: description.seed,
                                          initialMean: try Self.initialMean(description.drift, xi: description.xi, seed: description.seed))
        history = []
    }

    /// The ES starting point: hidden layers lecun-uniform from the run's seed, the output
    /// layer zero. The drift network's output is then exactly 0, so LPO starts exactly at PPO
    /// (and LPO-Zero at "no drift"), as in the paper. An all-zero vector would start there too,
    /// but for tanh networks it is a dead point of antithetic ES: negating both layers gives
    /// the same function (tanh is odd), so every pair `mean ± sigma eps` scores the same under
    /// common random numbers and the gradient estimate is exactly zero, generation after
    /// generation.
    public static func initialMean(_ kind: DriftKind, xi: Float, seed: UInt64) throws -> [Float] {
        let random = try NetworkDrift.make(kind, initialisation: .random(seed: seed), xi: xi)
        let outputSize = random.layers.last!.kernel.count + (random.layers.last!.bias?.count ?? 0)
        var mean = random.parameters
        for k in (mean.count - outputSize)..<mean.count { mean[k] = 0 }
        return mean
    }

    /// Continues the run stored at `url`; `generations` sets a new total (at least the
    /// generations already run), so a run can be extended or ended early.
    public static func resume(from url: URL, provenance: [String: String], workers: Int,
                              generations: Int? = nil) throws -> MetaTrainingRun {
        let stored = try MetaTrainingFile.read(from: url)
        var description = stored.description
        if let generations {
            guard generations >= stored.state.generation else {
                throw ESError.invalidConfiguration(
                    field: "generations", reason: "\(generations) is below the \(stored.state.generation) generations '\(url.path)' already ran")
            }
            description.generations = generations
        }
        let run = try MetaTrainingRun(description: description, url: url,
                                      provenance: ProvenanceHistory.continuing(provenance, file: url), workers: workers)
        try run.strategy.validate(stored.state)
        run.state = stored.state
        run.history = stored.history
        return run
    }

    public var isComplete: Bool { state.generation >= description.generations }

    /// The drift of the current mean.
    public func meanDrift() throws -> NetworkDrift {
        try NetworkDrift.make(description.drift, xi: description.xi).with(parameters: state.mean)
    }

    /// The environment seed shared by the whole population in `generation`.
    public static func generationSeed(_ seed: UInt64, generation: Int) -> UInt64 {
        seed ^ (UInt64(generation + 1) &* 0x9E37_79B9_7F4A_7C15)
    }

    /// Runs one generation: sample, evaluate every member (in parallel), update, save.
    /// Under MPI this is rank 0's side: it first sends the state to the other ranks.
    @discardableResult
    public func runGeneration() throws -> GenerationRecord {
        let start = DispatchTime.now().uptimeNanoseconds
        if let communicator { _ = try communicator.broadcast(try JSONEncoder().encode(state)) }
        let population = strategy.ask(state)
        let (fitness, returns) = try evaluate(population)
        let width = description.inner.environments.count
        let record = GenerationRecord(generation: state.generation, fitness: fitness, sigma: state.sigma,
                                      learningRate: state.learningRate,
                                      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
                                      returns: returns.map { $0 ?? Array(repeating: .nan, count: width) })
        state = try strategy.tell(state, fitness: fitness)
        history.append(record)
        try save()
        return record
    }

    /// Runs generations until done or `shouldStop()` (checked between generations). Under MPI,
    /// rank 0 runs this and finally tells the other ranks to stop.
    public func run(shouldStop: () -> Bool = { false }, report: (GenerationRecord) -> Void = { _ in }) throws {
        while !isComplete && !shouldStop() { report(try runGeneration()) }
        if let communicator { _ = try communicator.broadcast(Data()) }
    }

    /// The loop of an MPI rank other than 0: receive the state, evaluate this rank's members,
    /// contribute to the fitness sum; until rank 0 sends the stop message (no state).
    public func serveAsWorker() throws {
        guard let communicator, communicator.rank != 0 else {
            throw ESError.invalidState("serveAsWorker runs on MPI ranks other than 0")
        }
        while true {
            let message = try communicator.broadcast(Data())
            if message.isEmpty { return }
            state = try JSONDecoder().decode(ESState.self, from: message)
            _ = try evaluate(strategy.ask(state))
        }
    }

    /// Fitness of every member: inner runs spread over `workers` threads (and over MPI ranks),
    /// each environment's returns combined by `InnerTraining.combine`. A member whose inner
    /// run breaks (NaN losses) ranks last: it gets the generation's worst fitness minus 1.
    /// Also returns the raw per-environment returns (nil where a run broke).
    func evaluate(_ population: ESPopulation) throws -> (fitness: [Double], returns: [[Double]?]) {
        let count = population.members.rows
        let ranks = communicator?.size ?? 1, rank = communicator?.rank ?? 0
        let mine = (0..<count).filter { $0 % ranks == rank }
        let memberFinished = self.memberFinished
        var returns = try memberReturns(population, members: mine,
                                        seed: Self.generationSeed(description.seed, generation: state.generation),
                                        finished: { _, _ in memberFinished?() })
        if let communicator {
            // Every member is evaluated by exactly one rank: a sum of (values, status) vectors,
            // zero elsewhere, gives every rank the whole population's results.
            let width = description.inner.environments.count
            var flat = [Double](repeating: 0, count: count * (width + 1))
            for i in mine {
                if let r = returns[i] {
                    for e in 0..<width { flat[i * (width + 1) + e] = r[e] }
                    flat[i * (width + 1) + width] = 1
                } else {
                    flat[i * (width + 1) + width] = 2
                }
            }
            let total = try communicator.sum(flat)
            returns = (0..<count).map { i in
                total[i * (width + 1) + width] == 1 ? Array(total[i * (width + 1)..<i * (width + 1) + width]) : nil
            }
        }
        let finite = returns.compactMap { $0 }
        let combined = InnerTraining.combine(finite)
        let worst = (combined.min() ?? 0) - 1
        var k = 0
        let fitness = returns.map { r in
            guard r != nil else { return worst }
            defer { k += 1 }
            return combined[k]
        }
        return (fitness, returns)
    }

    /// Per-environment returns of `members` (nil where the inner run broke), each trained from
    /// the inner seed `seed` and spread over `workers` threads; other entries stay nil.
    /// `finished` gets each member's result as it arrives (on its worker's thread).
    func memberReturns(_ population: ESPopulation, members: [Int], seed: UInt64,
                       finished: @escaping @Sendable (Int, [Double]?) -> Void = { _, _ in }) throws -> [[Double]?] {
        let template = try NetworkDrift.make(description.drift, xi: description.xi)
        let inner = description.inner
        let results = ResultSlots(count: population.members.rows)
        let workers = max(1, min(self.workers, members.count))
        // Each worker claims the next unclaimed member, so a worker whose inner runs finish
        // early takes more of them (a fixed split left a core idle at the end of a
        // generation). Which thread runs a member does not change its result.
        let claimed = LockedValue(0)
        let work = { (_: Int) in
            while true {
                let k = claimed.withValue { next in defer { next += 1 }; return next }
                guard k < members.count else { return }
                let i = members[k]
                do {
                    let drift = try template.with(parameters: population.member(i))
                    let returns = try inner.environments.map { try inner.fitness(of: drift, on: $0, seed: seed) }
                    results.set(i, returns)
                    finished(i, returns)
                } catch TrainingError.nonFinite {
                    results.set(i, nil)
                    finished(i, nil)
                } catch {
                    results.fail(error)
                }
            }
        }
        if workers == 1 {
            work(0)
        } else {
            nonisolated(unsafe) let run = work
            DispatchQueue.concurrentPerform(iterations: workers) { run($0) }
        }
        if let error = results.error { throw error }
        return results.values
    }

    func save() throws {
        guard (communicator?.rank ?? 0) == 0 else { return }
        try MetaTrainingFile.write(to: url, description: description, drift: try meanDrift(), state: state,
                                   history: history, provenance: provenance)
    }
}

/// Per-member results written by parallel workers.
final class ResultSlots: Sendable {
    private let state: LockedValue<(slots: [[Double]?], error: (any Error)?)>
    init(count: Int) { state = LockedValue((Array(repeating: nil, count: count), nil)) }
    func set(_ i: Int, _ value: [Double]?) { state.withValue { $0.slots[i] = value } }
    func fail(_ e: any Error) { state.withValue { if $0.error == nil { $0.error = e } } }
    var error: (any Error)? { state.withValue { $0.error } }
    var values: [[Double]?] { state.withValue { $0.slots } }
}
