import Foundation
import Testing
import TestSupport
import Training

/// Properties of the command-line parsers: no string traps them, and what they accept is valid.
@Suite struct ParsingPropertyTests {
    @Test func seedListsNeverTrapAndAcceptOnlyValidLists() throws {
        var random = RandomText(seed: 42)
        var accepted = 0
        for _ in 0..<20_000 {
            let text = random.string(tokens: ["0", "1", "9", "10", "-", ",", "0-9", "3-1", "1-", "-1", ",,", "9999", "10000"])
            guard let seeds = try? SeedList.parse(text) else { continue }
            accepted += 1
            #expect(!seeds.isEmpty && seeds.count <= SeedList.limit && Set(seeds).count == seeds.count, "\(text)")
        }
        #expect(accepted > 100)
        #expect(try SeedList.parse("0-2,7") == [0, 1, 2, 7])
        for text in ["1-", "-1", "0,,3", "", ",", "3-1", "0-18446744073709551615", "0-9,5"] {
            #expect(throws: SeedList.ParseError.self, "\(text)") { try SeedList.parse(text) }
        }
    }

    @Test func overridesNeverTrapAndAcceptOnlyValidConfigs() throws {
        let base = TrainingConfig()
        let keys = Mirror(reflecting: base).children.compactMap(\.label)
        var random = RandomText(seed: 7)
        var accepted = 0
        for _ in 0..<4_000 {
            let key = random.below(10) == 0 ? random.string(tokens: keys, maxPieces: 2) : keys[random.below(keys.count)]
            let value = random.string(tokens: ["64", "128", "4", "0.5", "1e-3", "relu", "tanh", "orthogonal", "none",
                                               "true", "100000000000000000", "4611686018427387904", "1e300", "-5", "64,64"],
                                      maxPieces: 3)
            guard let config = try? base.applying([(key, value)]) else { continue }
            accepted += 1
            // Whatever is accepted validates and has sizes whose products do not overflow.
            #expect(throws: Never.self) { try config.validate() }
            #expect(config.batchSize <= TrainingConfig.Limit.batchSize)
        }
        #expect(accepted > 100)
        for (key, value) in [("numEnvs", "100000000000000000"), ("rolloutSteps", "4611686018427387904"),
                             ("learningRate", "1e300"), ("totalSteps", "9223372036854775807"), ("actorHidden", "64,,64")] {
            let error = #expect(throws: TrainingError.self) { try base.applying([(key, value)]) }
            #expect("\(error.map { "\($0)" } ?? "")".contains(key), "the error names \(key)")
        }
    }
}
