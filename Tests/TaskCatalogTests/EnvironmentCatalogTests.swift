import Environments
import Foundation
import TaskCatalog
import Tensors
import Testing
import TestSupport

@Suite struct EnvironmentCatalogTests {
    @Test func namesShapesAndActionSpaces() throws {
        #expect(Array(EnvironmentCatalog.names.prefix(9)) == ["breakout", "asterix", "freeway", "space-invaders", "seaquest",
                                                              "cartpole", "pendulum", "acrobot", "mountain-car-continuous"])
        // The MuJoCo tasks follow, in the issue's naming.
        #expect(Set(EnvironmentCatalog.names.dropFirst(9)) == ["ant", "halfcheetah", "hopper", "walker2d", "humanoid", "reacher",
                                                               "inverted-pendulum", "swimmer", "fetch", "ur5e", "grasp"])
        let original = EnvironmentConfiguration(convention: .original)
        let gymnax = EnvironmentConfiguration(convention: .gymnax)
        for (name, channels, minimal) in [("breakout", 4, 3), ("asterix", 4, 5), ("freeway", 7, 3),
                                          ("space-invaders", 6, 4), ("seaquest", 10, 6)] {
            let entry = try EnvironmentCatalog.entry(named: name)
            #expect(entry.observationShape == [10, 10, channels])
            #expect(entry.actionSpace(original) == .discrete(count: 6))
            #expect(entry.actionSpace(gymnax) == .discrete(count: minimal))
            let env = try EnvironmentCatalog.make(name, count: 3, seed: 1, configuration: gymnax)
            #expect(env.name == name && env.count == 3 && env.observationShape == [10, 10, channels])
            #expect(env.observationSize == 100 * channels && env.actionSpace == .discrete(count: minimal))
            #expect(env.maxEpisodeSteps == (name == "freeway" ? 2500 : 1000))
            #expect(env is DiscreteEnvironmentBatch && env is GridEnvironmentBatch)
            #expect((env as? GridEnvironmentBatch)?.channelNames.count == channels)
        }
    }

    @Test func classicControlTasks() throws {
        // name, observation size, action space, Gymnasium step limit
        let expected: [(String, Int, ActionSpace, Int)] = [
            ("cartpole", 4, .discrete(count: 2), 500),
            ("pendulum", 3, .continuous(dim: 1, low: -2, high: 2), 200),
            ("acrobot", 6, .discrete(count: 3), 500),
            ("mountain-car-continuous", 2, .continuous(dim: 1, low: -1, high: 1), 999),
        ]
        for (name, size, space, limit) in expected {
            let env = try EnvironmentCatalog.make(name, count: 2, seed: 3)
            #expect(env.observationSize == size && env.actionSpace == space && env.maxEpisodeSteps == limit)
            switch space {
            case .discrete: #expect(env is DiscreteEnvironmentBatch)
            case .continuous: #expect(env is ContinuousEnvironmentBatch)
            }
        }
    }

    @Test func mujocoTasksAreContinuousWithTheirStepLimit() throws {
        for (name, size, dim, limit) in [("ant", 105, 8, 1000), ("hopper", 11, 3, 1000), ("reacher", 10, 2, 50)] {
            let env = try EnvironmentCatalog.make(name, count: 2, seed: 3)
            #expect(env.observationSize == size && env.maxEpisodeSteps == limit && env is ContinuousEnvironmentBatch)
            guard case let .continuous(d, low, high) = env.actionSpace else { Issue.record("\(name) not continuous"); continue }
            #expect(d == dim && low == -1 && high == 1)
        }
    }

    @Test func unknownNameListsValidNames() {
        do {
            _ = try EnvironmentCatalog.make("pong", count: 1, seed: 0)
            Issue.record("unknown name accepted")
        } catch {
            #expect(error as? EnvironmentError == .unknownEnvironment(name: "pong", valid: EnvironmentCatalog.names))
            #expect("\(error)".contains("pong") && "\(error)".contains("breakout, asterix, freeway"))
        }
    }

    @Test func explicitOptionsOverrideConventionAndAreValidated() throws {
        let options = MinAtarOptions(stickyActionProbability: 0, actionSet: .minimal, ramping: false, maxEpisodeSteps: 7)
        let env = try EnvironmentCatalog.make("asterix", count: 2, seed: 0,
                                              configuration: EnvironmentConfiguration(minAtarOptions: options))
        #expect(env.maxEpisodeSteps == 7 && env.actionSpace == .discrete(count: 5))
        let bad = EnvironmentConfiguration(minAtarOptions: MinAtarOptions(stickyActionProbability: -1))
        #expect(throws: EnvironmentError.self) { try EnvironmentCatalog.make("asterix", count: 2, seed: 0, configuration: bad) }
    }

    @Test func randomPlayIsReproducibleAndFreewayLengthsAreExact() throws {
        let a = try RandomPlay.run("breakout", episodes: 20, seed: 4)
        let b = try RandomPlay.run("breakout", episodes: 20, seed: 4)
        #expect(a == b && a.episodes == 20)
        #expect(a.meanReturn >= 0 && a.standardError >= 0 && a.meanLength >= 6)
        let original = try RandomPlay.run("freeway", episodes: 2, seed: 1)
        #expect(original.meanLength == 2501 && original.episodes == 2)
        let gymnax = try RandomPlay.run("freeway", episodes: 2, seed: 1,
                                        configuration: EnvironmentConfiguration(convention: .gymnax))
        #expect(gymnax.meanLength == 2500)
        #expect(throws: EnvironmentError.self) { try RandomPlay.run("breakout", episodes: 0, seed: 1) }
    }
}
