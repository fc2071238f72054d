import Foundation
import Testing
import Tensors
@testable import MetaTraining
import TestSupport

@Suite struct ESReproducibilityTests {
    /// A deterministic, non-trivial fitness: a shifted sphere.
    static func fitness(_ pop: ESPopulation) -> [Double] {
        let target = (0..<pop.dimension).map { Float($0) * 0.1 - 0.3 }
        return (0..<pop.count).map { sphere(pop.member($0), target) }
    }

    static func makeES(_ shaping: FitnessShaping = .zScore) throws -> OpenAIES {
        try OpenAIES(settings: ESSettings(dimension: 7, populationSize: 12, fitnessShaping: shaping))
    }

    @Test func sameSeedSameRun() throws {
        let es = try Self.makeES()
        var a = try es.initialState(seed: 99), b = try es.initialState(seed: 99)
        for _ in 0..<6 {
            let pa = es.ask(a), pb = es.ask(b)
            #expect(pa == pb)
            a = try es.tell(a, fitness: Self.fitness(pa))
            b = try es.tell(b, fitness: Self.fitness(pb))
            #expect(a == b)
        }
        let other = try es.initialState(seed: 100)
        #expect(es.ask(other).noise != es.ask(try es.initialState(seed: 99)).noise)
    }

    @Test func generationNoiseDependsOnlyOnSeedAndGeneration() throws {
        let es = try Self.makeES()
        let state = try run(es, from: try es.initialState(seed: 42), generations: 7, fitness: Self.fitness)
        let pop = es.ask(state)
        #expect(pop.generation == 7)
        // The noise is the generation's stream read in order ...
        var stream = RandomStream(seed: 42, stream: StreamID.make(.evolutionStrategies, 7))
        var expected = [Float](repeating: 0, count: 6 * 7)
        stream.fillNormal(&expected)
        #expect(pop.noise.storage == expected)
        // ... and each pair (hence each member) can be rebuilt alone, by seeking in that stream.
        for k in 0..<6 {
            #expect(OpenAIES.noise(seed: 42, generation: 7, pair: k, dimension: 7) == Array(expected[(k * 7)..<(k * 7 + 7)]))
        }
        for i in 0..<12 { #expect(es.member(i, of: state) == pop.member(i)) }
        // Other generations of the same seed draw different noise.
        var earlier = state
        earlier.generation = 6
        #expect(es.ask(earlier).noise != pop.noise)
    }

    @Test func seekingWorksAtEveryWordOffset() {
        // D = 1, 2, 3 put pairs at word offsets 2k, 4k, 6k: every position within a block.
        for d in 1...3 {
            var stream = OpenAIES.noiseStream(seed: 5, generation: 3)
            var all = [Float](repeating: 0, count: 9 * d)
            stream.fillNormal(&all)
            for k in 0..<9 {
                #expect(OpenAIES.noise(seed: 5, generation: 3, pair: k, dimension: d) == Array(all[(k * d)..<((k + 1) * d)]))
            }
        }
    }

    @Test func resumeFromCheckpointIsBitIdentical() throws {
        for shaping in FitnessShaping.allCases {
            let es = try Self.makeES(shaping)
            let start = try es.initialState(seed: 2024, initialMean: [0.1, -0.2, 0.3, 0, 0, 1, -1])
            let straight = try run(es, from: start, generations: 10, fitness: Self.fitness)

            let half = try run(es, from: start, generations: 5, fitness: Self.fitness)
            let data = try JSONEncoder().encode(half)
            let restored = try JSONDecoder().decode(ESState.self, from: data)
            #expect(restored == half)
            try es.validate(restored)
            let resumed = try run(es, from: restored, generations: 5, fitness: Self.fitness)

            #expect(resumed == straight)
            #expect(resumed.mean.map(\.bitPattern) == straight.mean.map(\.bitPattern))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(resumed) == encoder.encode(straight))
        }
    }

    @Test func stateRoundTripIsExact() throws {
        let es = try Self.makeES()
        let state = try run(es, from: try es.initialState(seed: 1), generations: 3, fitness: Self.fitness)
        #expect(state.bestMember != nil && state.latest != nil)
        let back = try JSONDecoder().decode(ESState.self, from: JSONEncoder().encode(state))
        #expect(back == state)
        #expect(back.adamSecondMoment.map(\.bitPattern) == state.adamSecondMoment.map(\.bitPattern))
        #expect(back.sigma.bitPattern == state.sigma.bitPattern)
    }
}

@Suite struct ESValidationTests {
    func expectFieldError(_ field: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error naming \(field)")
        } catch let error as ESError {
            guard case .invalidConfiguration(let f, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(f == field)
            #expect(error.description.contains(field))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func settingsRejectBadFields() {
        expectFieldError("populationSize") { try ESSettings(dimension: 4, populationSize: 7).validate() }
        expectFieldError("populationSize") { try ESSettings(dimension: 4, populationSize: 0).validate() }
        expectFieldError("dimension") { try ESSettings(dimension: 0).validate() }
        expectFieldError("populationSize") { _ = try OpenAIES(settings: ESSettings(dimension: 3, populationSize: 33)) }
    }

    @Test func paramsRejectBadFields() {
        let cases: [(String, (inout OpenAIES.Params) -> Void)] = [
            ("sigmaInit", { $0.sigmaInit = 0 }),
            ("sigmaInit", { $0.sigmaInit = -0.1 }),
            ("sigmaInit", { $0.sigmaInit = .nan }),
            ("sigmaDecay", { $0.sigmaDecay = 1.01 }),
            ("sigmaDecay", { $0.sigmaDecay = 0 }),
            ("sigmaLimit", { $0.sigmaLimit = -1 }),
            ("learningRate", { $0.learningRate = 0 }),
            ("learningRateDecay", { $0.learningRateDecay = -0.5 }),
            ("learningRateLimit", { $0.learningRateLimit = -0.001 }),
            ("beta1", { $0.beta1 = 1 }),
            ("beta2", { $0.beta2 = -0.1 }),
            ("epsilon", { $0.epsilon = 0 }),
        ]
        for (field, mutate) in cases {
            var p = OpenAIES.Params()
            mutate(&p)
            expectFieldError(field) { try p.validate() }
            expectFieldError(field) { _ = try OpenAIES(settings: ESSettings(dimension: 2), params: p) }
        }
        #expect(throws: Never.self) { try OpenAIES.Params().validate() }
    }

    @Test func statesThatDoNotFitAreRejected() throws {
        let es = try OpenAIES(settings: ESSettings(dimension: 3, populationSize: 4))
        #expect(throws: ESError.self) { _ = try es.initialState(seed: 1, initialMean: [1, 2]) }
        #expect(throws: ESError.self) { _ = try es.initialState(seed: 1, initialMean: [1, .nan, 2]) }
        var state = try es.initialState(seed: 1)
        try es.validate(state)
        state.adamFirstMoment = [0]
        #expect(throws: ESError.self) { try es.validate(state) }
        state = try es.initialState(seed: 1)
        state.sigma = 0
        #expect(throws: ESError.self) { try es.validate(state) }
    }
}
