import Drifts
import Environments
import Foundation
import Storage
import Testing
import TestSupport
@testable import Training

@Suite struct ResumeTests {
    func description(env: String, numEnvs: Int, rolloutSteps: Int, updates: Int, checkpointInterval: Int) throws -> RunDescription {
        let preset = TrainingPreset.defaultPreset(forEnvironment: env)
        let config = try preset.config.applying([
            ("numEnvs", "\(numEnvs)"), ("rolloutSteps", "\(rolloutSteps)"), ("minibatches", "2"),
            ("totalSteps", "\(numEnvs * rolloutSteps * updates)"), ("checkpointInterval", "\(checkpointInterval)"),
            ("evalEpisodes", "3"),
        ])
        return RunDescription(env: env, drift: "dpo", preset: preset.rawValue, seed: 5, convention: "gymnax", config: config)
    }

    /// Train 6 updates straight, and 3 + (file round trip) + 3: curves and parameters agree exactly.
    @Test(arguments: ["cartpole", "breakout", "pendulum"])
    func resumeIsBitIdentical(env: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try description(env: env, numEnvs: 4, rolloutSteps: 16, updates: 6, checkpointInterval: 3)

        let straight = try TrainingRun(description: d, drift: DPODrift(), url: dir.appendingPathComponent("a.h5"),
                                       provenance: [:], parallelism: 1)
        try straight.run()

        let url = dir.appendingPathComponent("b.h5")
        let first = try TrainingRun(description: d, drift: DPODrift(), url: url, provenance: [:], parallelism: 1)
        try first.run(shouldStop: { first.trainer.updatesDone >= 3 })
        #expect(first.trainer.updatesDone == 3)
        let resumed = try TrainingRun.resume(from: url, provenance: [:], parallelism: 1)
        #expect(resumed.trainer.updatesDone == 3)
        try resumed.run()

        #expect(resumed.curves.count == 6 && straight.curves.count == 6)
        for (a, b) in zip(straight.curves, resumed.curves) {
            #expect(a.equalsIgnoringTiming(b), "update \(a.update): \(a) vs \(b)")
        }
        #expect(straight.trainer.networks.flatParameters == resumed.trainer.networks.flatParameters)
        let fromFile = try RunFile.read(from: url)
        #expect(fromFile.complete && fromFile.curves.count == 6 && fromFile.checkpoint?.updatesDone == 6)
    }

    /// A run continued under another OpenBLAS kernel set keeps both, oldest first; continued
    /// under the same one again, the list does not grow.
    @Test func resumeKeepsEveryKernelSetThatComputedTheRun() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.h5")
        let d = try description(env: "cartpole", numEnvs: 4, rolloutSteps: 8, updates: 6, checkpointInterval: 1)
        let first = try TrainingRun(description: d, drift: DPODrift(), url: url, provenance: ["blas_core": "Haswell"], parallelism: 1)
        try first.run(shouldStop: { first.trainer.updatesDone >= 2 })
        let kernels = { try HDF5File.open(url).root.attribute("blas_core", as: String.self) }
        #expect(try kernels() == "Haswell")
        let second = try TrainingRun.resume(from: url, provenance: ["blas_core": "SkylakeX"], parallelism: 1)
        try second.run(shouldStop: { second.trainer.updatesDone >= 4 })
        #expect(try kernels() == "Haswell,SkylakeX")
        let third = try TrainingRun.resume(from: url, provenance: ["blas_core": "SkylakeX"], parallelism: 1)
        try third.run()
        #expect(try kernels() == "Haswell,SkylakeX")
        #expect(ProvenanceHistory.merging(stored: "Haswell,SkylakeX", current: "Haswell") == "Haswell,SkylakeX,Haswell")
    }

    @Test func runFileHasTheDocumentedStructure() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.h5")
        let d = try description(env: "cartpole", numEnvs: 4, rolloutSteps: 8, updates: 2, checkpointInterval: 1)
        let run = try TrainingRun(description: d, drift: DPODrift(), url: url,
                                  provenance: ["driftlab_version": "test", "command": "driftlab train ..."], parallelism: 1)
        try run.run()
        let root = try HDF5File.open(url).root
        #expect(try root.attribute("env", as: String.self) == "cartpole")
        #expect(try root.attribute("drift", as: String.self) == "dpo")
        #expect(try root.attribute("preset", as: String.self) == "classic-control")
        #expect(try root.attribute("seed", as: Int.self) == 5)
        #expect(try root.attribute("driftlab_version", as: String.self) == "test")
        #expect(try root.attribute("command", as: String.self) == "driftlab train ...")
        #expect(try root.attribute("status", as: String.self) == "complete")
        for name in ["env_steps", "episode_return", "entropy", "eval_return", "value_loss", "policy_loss",
                     "approx_kl", "drift_active_fraction", "steps_per_second"] {
            let (values, shape) = try root.read("curves/\(name)", as: Double.self)
            #expect(shape == [2], "\(name)")
            if name == "env_steps" { #expect(values == [32, 64]) }
            if name == "eval_return" { #expect(values[0].isNaN && !values[1].isNaN) }
        }
        let config = try root.openGroup("config")
        #expect(try config.attribute("numEnvs", as: Int.self) == 4)
        #expect(try config.attribute("learningRate", as: Double.self) == 2.5e-4)
        #expect(try config.attribute("actorHidden", as: [Int].self) == [64, 64])
        #expect(try root.openGroup("drift").attribute("kind", as: String.self) == "dpo")
        let checkpoint = try root.openGroup("checkpoints/latest")
        #expect(try checkpoint.attribute("update", as: Int.self) == 2)
        #expect(try checkpoint.read("parameters", as: Float.self).values == run.trainer.networks.flatParameters)
    }

    @Test func nonFiniteLossStopsWithTheLastGoodCheckpoint() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nan.h5")
        let d = try description(env: "cartpole", numEnvs: 4, rolloutSteps: 8, updates: 4, checkpointInterval: 1)
        let run = try TrainingRun(description: d, drift: DPODrift(), url: url, provenance: [:], parallelism: 1)
        try run.run(shouldStop: { run.trainer.updatesDone >= 2 })
        // Poison the critic's output bias (the last parameter): values, advantages and then the
        // policy loss turn NaN in the next update.
        var state = try run.trainer.checkpoint()
        state.parameters[state.parameters.count - 1] = .nan
        try run.trainer.restore(state)
        do {
            try run.run()
            Issue.record("a NaN loss did not stop training")
        } catch let error as TrainingError {
            #expect("\(error)".contains("update 3"), "\(error)")
        }
        let contents = try RunFile.read(from: url)
        #expect(!contents.complete)
        #expect(contents.checkpoint?.updatesDone == 2)
        #expect(contents.curves.count == 2)
        let parameters = try #require(contents.checkpoint).parameters
        #expect(parameters.allSatisfy { $0.isFinite })
    }
}

@Suite struct SavedRolloutTests {
    @Test func everyKthRolloutIsKeptAcrossRewrites() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("rollouts.h5")
        let config = try TrainingPreset.minatar.config.applying([
            ("numEnvs", "4"), ("rolloutSteps", "8"), ("minibatches", "2"), ("totalSteps", "\(4 * 8 * 5)"),
            ("checkpointInterval", "1"), ("evalEpisodes", "2"),
        ])
        let d = RunDescription(env: "breakout", drift: "ppo", preset: "minatar", seed: 1, convention: "gymnax",
                               config: config, saveRolloutsEvery: 2)
        let run = try TrainingRun(description: d, drift: PPODrift(), url: url, provenance: [:], parallelism: 1)
        try run.run()
        let root = try HDF5File.open(url).root
        #expect(try root.openGroup("rollouts").children() == ["update_000002", "update_000004"])
        let group = try root.openGroup("rollouts/update_000004")
        let (obs, shape) = try group.read("observations", as: Float.self)
        #expect(shape == [8, 4, 10, 10, 4])
        #expect(obs.allSatisfy { $0 == 0 || $0 == 1 })
        // Breakout always shows a paddle, a ball and bricks: several set cells per frame.
        #expect(obs.reduce(0, +) >= Float(8 * 4 * 3))
        #expect(try group.read("actions", as: Int32.self).shape == [8, 4])
        for name in ["rewards", "log_probs", "values", "advantages", "returns"] {
            #expect(try group.read(name, as: Float.self).shape == [8, 4], "\(name)")
        }
        #expect(try group.read("terminated", as: Bool.self).shape == [8, 4])
        // returns = advantages + values, as GAE defines them.
        let adv = try group.read("advantages", as: Float.self).values
        let val = try group.read("values", as: Float.self).values
        let ret = try group.read("returns", as: Float.self).values
        for i in adv.indices { #expect(abs(adv[i] + val[i] - ret[i]) < 1e-5) }
    }
}
