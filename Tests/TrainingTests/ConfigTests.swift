import Foundation
import Testing
import TestSupport
@testable import Training

@Suite struct ConfigTests {
    @Test func minatarPresetIsThePublicConfiguration() {
        let c = TrainingPreset.minatar.config
        #expect(c.numEnvs == 64 && c.rolloutSteps == 128 && c.epochs == 4 && c.minibatches == 8)
        #expect(c.learningRate == 5e-3 && c.adamEpsilon == 1e-5 && c.maxGradientNorm == 0.5)
        #expect(c.gamma == 0.99 && c.gaeLambda == 0.95 && c.valueClip == 0.2 && c.entropyCoefficient == 0.01)
        #expect(c.batchSize == 8192 && c.minibatchSize == 1024 && c.numUpdates == 1220)
        #expect(TrainingPreset.defaultPreset(forEnvironment: "seaquest") == .minatar)
        #expect(TrainingPreset.defaultPreset(forEnvironment: "cartpole") == .classicControl)
    }

    @Test func braxPresetsFollowThePaperTable() throws {
        let ant = TrainingPreset.braxAnt.config
        // Brax: batch 1024 trajectories x unroll 5 per minibatch, 32 minibatches, 2048 envs; the
        // CPU preset keeps the rollout length and minibatch count with 64 envs (1/32 of the data).
        #expect(ant.numEnvs == 64 && ant.rolloutSteps == 80 && ant.minibatchSize * 32 == 1024 * 5)
        #expect(TrainingPreset.braxAnt.paperSteps == 30_000_000 && ant.totalSteps == 1_000_000)
        #expect(ant.numUpdates == 195, "about the paper's 183 updates")
        #expect(ant.rewardScale == 10 && ant.epochs == 4 && ant.gamma == 0.97)
        #expect(ant.entropyCoefficient == 1e-2 && ant.learningRate == 3e-4 && ant.maxGradientNorm == nil)
        #expect(ant.actorHidden == [32, 32, 32, 32] && ant.criticHidden == [256, 256, 256, 256, 256])
        #expect(ant.activation == "swish" && ant.initialisation == "lecun-uniform" && ant.normalizeObservations)
        let reacher = TrainingPreset.braxReacher.config
        #expect(reacher.rolloutSteps == 200 && reacher.minibatchSize * 32 == 256 * 50 && reacher.epochs == 8)
        #expect(TrainingPreset.defaultPreset(forEnvironment: "hopper") == .braxHopper)
        #expect(TrainingPreset.defaultPreset(forEnvironment: "ant") == .braxAnt)
        #expect(TrainingPreset.braxHopper.config.gamma == TrainingPreset.braxWalker2d.config.gamma)
        #expect(TrainingPreset.braxUR5e.config.learningRate == 2e-4)
        for preset in TrainingPreset.allCases { try preset.config.validate() }
    }

    @Test func overridesParseByFieldType() throws {
        let c = try TrainingPreset.minatar.config.applying([
            ("learningRate", "0.001"), ("numEnvs", "32"), ("annealLearningRate", "false"),
            ("actorHidden", "128,128"), ("maxGradientNorm", "none"), ("activation", "tanh"),
        ])
        #expect(c.learningRate == 0.001 && c.numEnvs == 32 && !c.annealLearningRate)
        #expect(c.actorHidden == [128, 128] && c.maxGradientNorm == nil && c.activation == "tanh")
    }

    @Test(arguments: [("learningRat", "0.1", "unknown field"), ("numEnvs", "abc", "integer"),
                      ("annealLearningRate", "yes", "true or false"), ("minibatches", "7", "minibatches"),
                      ("gamma", "1.5", "gamma"), ("learningRate", "none", "number")])
    func badOverridesNameTheField(key: String, value: String, mention: String) {
        do {
            _ = try TrainingPreset.minatar.config.applying([(key, value)])
            Issue.record("accepted \(key)=\(value)")
        } catch {
            #expect("\(error)".contains(mention), "\(error)")
        }
    }

    @Test func configFileOverrides() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.conf")
        try "# a comment\nlearningRate = 0.002\n\nnumEnvs=16  # trailing comment\n".write(to: url, atomically: true, encoding: .utf8)
        let pairs = try TrainingConfig.overrides(fromFile: url)
        #expect(pairs.map(\.key) == ["learningRate", "numEnvs"] && pairs.map(\.value) == ["0.002", "16"])
        try "learningRate 0.1\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(throws: TrainingError.self) { try TrainingConfig.overrides(fromFile: url) }
    }
}
