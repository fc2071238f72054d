import Testing
@testable import TaskCatalog

@Suite struct EnvironmentNamesTests {
    @Test func otherLibrariesSpellingsMapToCatalogNames() throws {
        #expect(EnvironmentNames.canonical("CartPole-v1") == "cartpole")
        #expect(EnvironmentNames.canonical("SpaceInvaders-MinAtar") == "space-invaders")
        #expect(EnvironmentNames.canonical("MinAtar/Seaquest-v1") == "seaquest")
        #expect(EnvironmentNames.canonical("Ant-v5") == "ant")
        #expect(EnvironmentNames.canonical("space_invaders") == "space-invaders")
        #expect(EnvironmentNames.canonical("pong") == nil)
        #expect(try EnvironmentNames.resolve("Breakout") == "breakout")
    }

    @Test func unknownNamesGetTheNearestNameIfItIsNear() {
        #expect(throws: UnknownEnvironmentName(name: "cartpol", suggestion: "cartpole", valid: EnvironmentCatalog.names)) {
            try EnvironmentNames.resolve("cartpol")
        }
        #expect(throws: UnknownEnvironmentName(name: "pong", suggestion: nil, valid: EnvironmentCatalog.names)) {
            try EnvironmentNames.resolve("pong")
        }
    }

    @Test func suggestionsAreNearInEditDistance() {
        // kitten -> sitting: 3 edits (k/s, e/i, +g), the textbook value.
        #expect(NameSuggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(NameSuggestion.closest(to: "learningRat", in: ["learningRate", "gamma"]) == "learningRate")
        #expect(NameSuggestion.closest(to: "alpah", in: ["alpha", "beta"]) == "alpha")
        #expect(NameSuggestion.closest(to: "zzz", in: ["alpha", "beta"]) == nil)
        // Case and separators do not count.
        #expect(NameSuggestion.closest(to: "LEARNING_RATE", in: ["learningRate"]) == "learningRate")
    }
}
