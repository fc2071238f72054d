import Foundation
import Sweeps
import Testing
import TestSupport
import Training

/// The README's "DriftLab as a library" example, line for line (smaller budget), so that the
/// documented code keeps compiling and working.
@Suite struct LibraryExampleTests {
    @Test func theReadmeExampleTrainsAndEvaluates() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cartpole-dpo.h5").path
        var lines: [String] = []
        // --- README example (steps and episodes reduced) ---
        let settings = RunSettings(env: "CartPole-v1", drift: "dpo", seed: 0, steps: 2048,
                                   hyperparameters: [.init(key: "learning-rate", value: "1e-3")])
        let description = try settings.resolve()    // preset, overrides and names checked, as `driftlab train` does
        let run = try TrainingRun(description: description, drift: try RunSettings.makeDrift(description.drift),
                                  url: URL(fileURLWithPath: path), provenance: [:])
        try run.run(report: { m in if m.update % 2 == 0 { lines.append("update \(m.update): return \(m.episodeReturn)") } })
        let (result, _) = try RunEvaluation.evaluate(try RunFile.read(from: run.url), path: path, episodes: 5, deterministic: false)
        lines.append("eval return \(result.meanReturn) ± \(result.standardError)")
        // --- end of the example ---
        #expect(description.env == "cartpole" && description.preset == "classic-control")
        #expect(description.config.learningRate == 1e-3)
        #expect(run.isComplete && run.trainer.updatesDone == 4)
        #expect(lines.count == 3 && result.episodes == 5 && result.meanReturn > 0, "\(lines)")
    }

    @Test func settingsResolveWithSuggestions() throws {
        #expect(throws: RunSettingsError.self) { try RunSettings(env: "cartpole", preset: "minatr").resolve() }
        do { _ = try RunSettings(env: "cartpole", preset: "minatr").resolve() } catch {
            #expect("\(error)".hasPrefix("unknown preset 'minatr' (did you mean 'minatar'?)"))
        }
        #expect(try RunSettings.configKey("learning_rate") == "learningRate")
        #expect(try RunSettings.configKey("GAE-LAMBDA") == "gaeLambda")
        // A TOML description reads back to the same run.
        let description = try RunSettings(env: "Breakout-MinAtar", drift: "dpo:alpha=1.5", seed: 7, steps: 81920,
                                          hyperparameters: [.init(key: "maxGradientNorm", value: "none")]).resolve()
        let text = RunSettings.toml(for: description, comment: "round trip")
        #expect(text.contains("maxGradientNorm = \"none\"\n") && text.contains("env = \"breakout\"\n"))
        #expect(try RunSettings(toml: text, path: "x.toml").resolve() == description)
    }
}
