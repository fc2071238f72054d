import Drifts
import Testing
import TestSupport

/// Property: `DriftSpec(parsing:)` returns or throws on every string, and what it accepts it
/// describes in a form that parses back to the same spec.
@Suite struct DriftSpecPropertyTests {
    static let tokens = ["ppo", "dpo", "lpo", "lpo-zero", "ta-lpo", "eps", "alpha", "beta", "xi", "init", "seed",
                         "zero", "random", "=", ":", ",", "0.2", "2", "0.6", "1e-6", "-0.5", "dpo:", "ppo:eps=", "lpo:init=random,seed="]

    @Test func noStringTrapsTheParser() {
        var random = RandomText(seed: 15)
        var accepted = 0
        for _ in 0..<20_000 {
            let text = random.string(tokens: Self.tokens)
            guard let spec = try? DriftSpec(parsing: text) else { continue }
            accepted += 1
            if case .file = spec { continue }
            // What is accepted round-trips through its description.
            #expect((try? DriftSpec(parsing: spec.description)) == spec, "\(text) -> \(spec.description)")
        }
        #expect(accepted > 50, "the generator should also produce valid specs")
    }

    @Test func theReportedCasesAreErrors() {
        for text in [":", "::", "dpo:", "ppo: ", " : ", ":dpo", "dpo:alpha", "dpo:alpha=", "dpo:=1", "dpo:alpha=nan",
                     "ppo:eps=1e300", "lpo:init=random,seed=-1", "lpo:seed=3"] {
            #expect(throws: DriftError.self, "\(text)") { try DriftSpec(parsing: text) }
        }
    }
}
