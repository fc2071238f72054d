import Drifts
import Foundation
import Storage
import Testing
import TestSupport
@testable import Training

@Suite struct CompactTests {
    /// A short run of `env` with observation normalisation (so the policy carries a normaliser).
    func finishedRun(env: String, in dir: URL, updates: Int = 3, stopAfter: Int? = nil) throws -> (TrainingRun, URL) {
        let preset = TrainingPreset.defaultPreset(forEnvironment: env)
        let config = try preset.config.applying([
            ("numEnvs", "4"), ("rolloutSteps", "16"), ("minibatches", "2"), ("totalSteps", "\(4 * 16 * updates)"),
            ("checkpointInterval", "1"), ("evalEpisodes", "3"), ("normalizeObservations", "true"),
        ])
        let d = RunDescription(env: env, drift: "ppo", preset: preset.rawValue, seed: 3, convention: "gymnax", config: config,
                               saveRolloutsEvery: 2)
        let url = dir.appendingPathComponent("\(env).h5")
        let run = try TrainingRun(description: d, drift: PPODrift(), url: url, provenance: ["command": "test"], parallelism: 1)
        try run.run(shouldStop: { stopAfter.map { run.trainer.updatesDone >= $0 } ?? false })
        return (run, url)
    }

    @Test(arguments: ["pendulum", "cartpole"])
    func compactKeepsCurvesAndPolicyAndDropsResumeState(env: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (run, url) = try finishedRun(env: env, in: dir)
        let before = try RunFile.read(from: url)
        let actorCount = run.trainer.networks.actor.parameterCount
        // A complete run stores its policy next to the checkpoint: the actor's share of it.
        let policy = try #require(before.policy)
        #expect(policy.update == 3)
        #expect(policy.actorParameters == Array(run.trainer.networks.flatParameters.prefix(actorCount)))
        #expect(policy.normalizer == run.trainer.normalizer && policy.normalizer != nil)
        let evalBefore = try RunEvaluation.evaluate(before, path: url.path, episodes: 4, deterministic: false)

        guard case .compacted(let bytesBefore, let bytesAfter) = try RunFile.compact(url) else {
            Issue.record("a complete run was not compacted")
            return
        }
        #expect(bytesAfter < bytesBefore)
        let after = try RunFile.read(from: url)
        #expect(after.checkpoint == nil && after.complete)
        #expect(after.policy == policy)
        #expect(after.description == before.description)
        #expect(after.curves.count == before.curves.count)
        for (a, b) in zip(after.curves, before.curves) { #expect(a.equalsIgnoringTiming(b)) }
        // Attributes, rollouts and the drift are carried over untouched.
        let root = try HDF5File.open(url).root
        #expect(try root.attribute("command", as: String.self) == "test")
        #expect(try root.openGroup("rollouts").children() == ["update_000002"])
        #expect(try !root.contains("checkpoints"))
        #expect(after.drift.summary == before.drift.summary)
        // The same policy plays the same episodes.
        let evalAfter = try RunEvaluation.evaluate(after, path: url.path, episodes: 4, deterministic: false)
        #expect(evalAfter.result == evalBefore.result && evalAfter.update == 3)

        #expect(try RunFile.compact(url) == .alreadyCompact)
        #expect(throws: TrainingError.self) { try TrainingRun.resume(from: url, provenance: [:], parallelism: 1) }
        do {
            _ = try TrainingRun.resume(from: url, provenance: [:], parallelism: 1)
        } catch {
            #expect("\(error)".contains("compacted") && "\(error)".contains(url.path), "\(error)")
        }
    }

    @Test func aRunStillTrainingKeepsItsResumeState() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, url) = try finishedRun(env: "cartpole", in: dir, updates: 4, stopAfter: 2)
        let bytes = try Data(contentsOf: url)
        #expect(try RunFile.read(from: url).policy == nil)
        #expect(try RunFile.compact(url) == .running)
        #expect(try Data(contentsOf: url) == bytes)
        // It still resumes and finishes, and then carries a policy.
        let resumed = try TrainingRun.resume(from: url, provenance: [:], parallelism: 1)
        try resumed.run()
        #expect(try RunFile.read(from: url).policy?.update == 4)
    }

    /// Files written before `/policy` existed: compaction derives it from the checkpoint.
    @Test func compactDerivesThePolicyOfOlderFiles() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (run, url) = try finishedRun(env: "pendulum", in: dir)
        let contents = try RunFile.read(from: url)
        try RunFile.write(to: url, description: contents.description, drift: contents.drift, curves: contents.curves,
                          checkpoint: contents.checkpoint, complete: true, provenance: [:])
        #expect(try RunFile.read(from: url).policy == nil)
        _ = try RunFile.compact(url)
        let policy = try #require(try RunFile.read(from: url).policy)
        #expect(policy.actorParameters == Array(run.trainer.networks.flatParameters.prefix(run.trainer.networks.actor.parameterCount)))
        #expect(policy.normalizer == run.trainer.normalizer)
    }
}
