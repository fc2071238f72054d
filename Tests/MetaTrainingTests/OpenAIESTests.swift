import Foundation
import Testing
import Tensors
@testable import MetaTraining
import TestSupport

/// Runs `generations` of ask/evaluate/tell.
func run(_ es: OpenAIES, from state: ESState, generations: Int,
         fitness: (ESPopulation) -> [Double]) throws -> ESState {
    var state = state
    for _ in 0..<generations {
        state = try es.tell(state, fitness: fitness(es.ask(state)))
    }
    return state
}

func sphere(_ x: [Float], _ target: [Float]) -> Double {
    var s = 0.0
    for j in x.indices { let d = Double(x[j] - target[j]); s += d * d }
    return -s
}

@Suite struct OpenAIESTests {
    @Test func defaultsAreThePapers() throws {
        let p = OpenAIES.Params()
        #expect(p.sigmaInit == 0.04 && p.sigmaDecay == 0.999 && p.sigmaLimit == 0.01)
        #expect(p.learningRate == 0.01 && p.learningRateDecay == 0.999 && p.learningRateLimit == 0.001)
        #expect(p.beta1 == 0.99 && p.beta2 == 0.999 && p.epsilon == 1e-8)
        let es = try OpenAIES(settings: ESSettings(dimension: 3))
        #expect(es.settings.populationSize == 32 && es.settings.fitnessShaping == .zScore)
        let s = try es.initialState(seed: 1)
        #expect(s.mean == [0, 0, 0] && s.sigma == 0.04 && s.learningRate == 0.01 && s.generation == 0)
        #expect(s.bestMember == nil && s.bestFitness == nil && s.latest == nil)
    }

    @Test func maximisesSphere() throws {
        var params = OpenAIES.Params()
        params.sigmaInit = 0.1
        params.learningRate = 0.05
        params.learningRateDecay = 0.98   // lr 0.05 -> floor 0.001 by generation 194
        let es = try OpenAIES(settings: ESSettings(dimension: 10, populationSize: 32), params: params)
        var stream = testStream(1)
        let target = (0..<10).map { _ in stream.uniform(Float(-1), 1) }
        let start = try es.initialState(seed: 7)
        let end = try run(es, from: start, generations: 300) { pop in
            (0..<pop.count).map { sphere(pop.member($0), target) }
        }
        // Starts |target| away (zero mean, target uniform in [-1, 1]^10); ends about 0.02 away (must be within 0.05).
        let distance = (-sphere(end.mean, target)).squareRoot()
        #expect(distance < 0.05, "distance to target \(distance)")
        #expect(end.generation == 300 && end.adamStep == 300)
        #expect(end.bestFitness! > -0.01)
    }

    @Test func noisyQuadraticImproves() throws {
        var params = OpenAIES.Params()
        params.sigmaInit = 0.1
        params.learningRate = 0.05
        let es = try OpenAIES(settings: ESSettings(dimension: 10, populationSize: 32, fitnessShaping: .centeredRanks),
                              params: params)
        let target = [Float](repeating: 1, count: 10)
        var noise = testStream(2)
        let start = try es.initialState(seed: 11)
        let end = try run(es, from: start, generations: 150) { pop in
            (0..<pop.count).map { sphere(pop.member($0), target) + noise.normal() * 1.0 }
        }
        // True fitness of the mean: -10 at the start; noise sd 1 per evaluation.
        #expect(sphere(end.mean, target) > -1, "final true fitness \(sphere(end.mean, target))")
    }

    @Test func antitheticPairsCancelForConstantFitness() throws {
        for shaping in FitnessShaping.allCases {
            let es = try OpenAIES(settings: ESSettings(dimension: 6, populationSize: 8, fitnessShaping: shaping))
            let start = try es.initialState(seed: 3, initialMean: [1, -2, 0.5, 0, 3, -0.25])
            let pop = es.ask(start)
            let g = OpenAIES.gradient(noise: pop.noise, shapedFitness: shaping.shape([Double](repeating: 2.5, count: 8)),
                                      sigma: start.sigma)
            #expect(g == [0, 0, 0, 0, 0, 0])
            let next = try es.tell(start, fitness: [Double](repeating: 2.5, count: 8))
            #expect(next.mean == start.mean)
            #expect(next.adamFirstMoment == [Float](repeating: 0, count: 6))
            #expect(next.adamSecondMoment == [Float](repeating: 0, count: 6))
            #expect(next.generation == 1 && next.adamStep == 1)
            #expect(next.latest == ESGenerationSummary(generation: 0, meanFitness: 2.5, maxFitness: 2.5, minFitness: 2.5,
                                                       sdFitness: 0, bestFitnessSoFar: 2.5))
        }
    }

    @Test func populationIsAntitheticAroundMean() throws {
        let es = try OpenAIES(settings: ESSettings(dimension: 5, populationSize: 6))
        let state = try es.initialState(seed: 9, initialMean: [0.5, 1, -1, 2, 0])
        let pop = es.ask(state)
        #expect(pop.count == 6 && pop.dimension == 5 && pop.noise.rows == 3 && pop.generation == 0)
        for k in 0..<3 {
            let plus = pop.member(2 * k), minus = pop.member(2 * k + 1)
            for j in 0..<5 {
                let eps = pop.noise[k, j]
                #expect(plus[j] == state.mean[j] + Float(state.sigma) * eps)
                #expect(minus[j] == state.mean[j] - Float(state.sigma) * eps)
            }
        }
    }

    @Test func gradientMatchesPerMemberSum() throws {
        // Reference: g = 1 / (P sigma) * sum_i s_i * eps_i with eps_2k = e_k, eps_2k+1 = -e_k.
        let es = try OpenAIES(settings: ESSettings(dimension: 4, populationSize: 10, fitnessShaping: .raw))
        let state = try es.initialState(seed: 5)
        let pop = es.ask(state)
        var stream = testStream(4)
        let s = (0..<10).map { _ in stream.normal() }
        let g = OpenAIES.gradient(noise: pop.noise, shapedFitness: s, sigma: 0.04)
        for j in 0..<4 {
            var ref = 0.0
            for i in 0..<10 {
                let sign = i % 2 == 0 ? 1.0 : -1.0
                ref += s[i] * sign * Double(pop.noise[i / 2, j])
            }
            ref /= 10 * 0.04
            #expect(abs(g[j] - ref) <= 1e-12 * max(1, abs(ref)))
        }
    }

    @Test func firstAdamStepIsLearningRateTimesSignOfGradient() throws {
        // t = 1: mhat = g and vhat = g^2, so the step is lr * g / (|g| + 1e-8), about lr * sign(g),
        // and it goes UP the fitness gradient (maximisation).
        let es = try OpenAIES(settings: ESSettings(dimension: 8, populationSize: 64, fitnessShaping: .raw))
        let state = try es.initialState(seed: 21)
        let direction: [Float] = [1, -1, 2, -2, 0.5, -0.5, 3, -3]
        let pop = es.ask(state)
        // Linear fitness w . x: the true gradient is w.
        let fitness = (0..<64).map { i in zip(pop.member(i), direction).reduce(0.0) { $0 + Double($1.0 * $1.1) } }
        let g = OpenAIES.gradient(noise: pop.noise, shapedFitness: fitness, sigma: state.sigma)
        let next = try es.tell(state, fitness: fitness)
        for j in 0..<8 {
            let expected = Float(0.01 * g[j] / (abs(g[j]) + 1e-8))
            #expect(abs(next.mean[j] - expected) <= 2e-9)   // one Float ulp at 0.01
        }
        // With 32 pairs the estimate points along w: cosine(g, w) near 1 (its expectation is w).
        let dot = zip(g, direction).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        let cosine = dot / (g.map { $0 * $0 }.reduce(0, +).squareRoot()
                            * direction.map { Double($0 * $0) }.reduce(0, +).squareRoot())
        #expect(cosine > 0.8, "cosine(g, w) = \(cosine)")
    }

    @Test func sigmaAndLearningRateDecayToFloors() throws {
        var params = OpenAIES.Params()
        params.sigmaDecay = 0.5
        params.learningRateDecay = 0.5
        let es = try OpenAIES(settings: ESSettings(dimension: 2, populationSize: 2), params: params)
        var state = try es.initialState(seed: 1)
        var sigmas = [state.sigma], rates = [state.learningRate]
        for _ in 0..<5 {
            state = try es.tell(state, fitness: [1, 0])
            sigmas.append(state.sigma)
            rates.append(state.learningRate)
        }
        // sigma: 0.04, 0.02, 0.01, then the floor 0.01. lr: 0.01 halving to the floor 0.001.
        #expect(sigmas == [0.04, 0.02, 0.01, 0.01, 0.01, 0.01])
        #expect(rates == [0.01, 0.005, 0.0025, 0.00125, 0.001, 0.001])

        // Paper defaults: 0.04 * 0.999^n reaches the floor 0.01 after n = 1386 generations.
        let defaults = try OpenAIES(settings: ESSettings(dimension: 1, populationSize: 2))
        var s = try defaults.initialState(seed: 2)
        var expectedSigma = 0.04, expectedRate = 0.01
        for n in 1...1400 {
            s = try defaults.tell(s, fitness: [0, 0])
            expectedSigma = max(expectedSigma * 0.999, 0.01)
            expectedRate = max(expectedRate * 0.999, 0.001)
            if n == 1 { #expect(s.sigma == 0.04 * 0.999 && s.learningRate == 0.01 * 0.999) }
        }
        #expect(s.sigma == expectedSigma && s.sigma == 0.01)
        #expect(s.learningRate == expectedRate && s.learningRate > 0.001)   // 0.01 * 0.999^1400 = 0.00246
    }

    @Test func bestSoFarAndSummary() throws {
        let es = try OpenAIES(settings: ESSettings(dimension: 3, populationSize: 4, fitnessShaping: .raw))
        let s0 = try es.initialState(seed: 8)
        let pop0 = es.ask(s0)
        let s1 = try es.tell(s0, fitness: [1, 5, -2, 4])
        #expect(s1.bestFitness == 5 && s1.bestMember == pop0.member(1))
        #expect(s1.latest == ESGenerationSummary(generation: 0, meanFitness: 2, maxFitness: 5, minFitness: -2,
                                                 sdFitness: 7.5.squareRoot(), bestFitnessSoFar: 5))
        // A worse generation keeps the old best; a better one replaces it.
        let s2 = try es.tell(s1, fitness: [0, 1, 2, 3])
        #expect(s2.bestFitness == 5 && s2.bestMember == pop0.member(1) && s2.latest?.maxFitness == 3)
        let pop2 = es.ask(s2)
        let s3 = try es.tell(s2, fitness: [6, 9, 9, 0])
        #expect(s3.bestFitness == 9 && s3.bestMember == pop2.member(1) && s3.latest?.generation == 2)
    }

    @Test func tellRejectsBadFitness() throws {
        let es = try OpenAIES(settings: ESSettings(dimension: 2, populationSize: 4))
        let s = try es.initialState(seed: 1)
        #expect(throws: ESError.fitnessCount(expected: 4, got: 3)) { try es.tell(s, fitness: [1, 2, 3]) }
        #expect(throws: ESError.nonFiniteFitness(member: 2, value: .infinity)) {
            try es.tell(s, fitness: [1, 2, .infinity, 0])
        }
        do {
            _ = try es.tell(s, fitness: [.nan, 0, 0, 0])
            Issue.record("NaN fitness accepted")
        } catch let error as ESError {
            #expect(error.description.contains("member 0"))
        }
    }
}
