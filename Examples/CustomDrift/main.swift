// Trains a drift defined outside DriftLab (SoftClipDrift.swift) on CartPole through the
// library: writes a run file, evaluates its policy, and checks that a run interrupted and
// resumed from its file ends bit-identically to one trained straight through.
//
//     swift run CustomDrift [OUTPUT-DIRECTORY]
//
// Exit status 0 when every check holds, 1 otherwise.
import Drifts
import Environments
import Training
import Foundation

// The one registration line: from here on the kind "soft-clip" parses, saves and reads.
DriftRegistry.register(SoftClipDrift.self)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("CustomDrift: \(message)\n".utf8))
    exit(1)
}

do {
    let directory = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory(), isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let spec = "soft-clip:scale=0.25"
    let drift = try DriftSpec(parsing: spec).makeDrift()

    // A small run: 6 updates of 8 environments x 32 steps.
    var config = TrainingPreset.classicControl.config
    config.numEnvs = 8
    config.rolloutSteps = 32
    config.minibatches = 4
    config.totalSteps = 6 * config.batchSize
    config.checkpointInterval = 2
    config.evalEpisodes = 4
    let description = RunDescription(env: "cartpole", drift: spec, preset: TrainingPreset.classicControl.rawValue, seed: 7,
                                     convention: MinAtarConvention.original.rawValue, config: config)

    // Straight through.
    let straightURL = directory.appendingPathComponent("soft-clip-straight.h5")
    let straight = try TrainingRun(description: description, drift: drift, url: straightURL, provenance: [:], parallelism: 1)
    try straight.run()

    // Interrupted after three updates, then resumed from the run file alone.
    let resumedURL = directory.appendingPathComponent("soft-clip-resumed.h5")
    let first = try TrainingRun(description: description, drift: drift, url: resumedURL, provenance: [:], parallelism: 1)
    try first.run(shouldStop: { first.trainer.updatesDone >= 3 })
    let resumed = try TrainingRun.resume(from: resumedURL, provenance: [:], parallelism: 1)
    try resumed.run()

    let a = try RunFile.read(from: straightURL), b = try RunFile.read(from: resumedURL)
    guard a.drift.kind == SoftClipDrift.kind, a.drift.summary == drift.summary else {
        fail("the run file holds \(a.drift.summary), not \(drift.summary)")
    }
    guard a.complete, b.complete, a.curves.count == config.numUpdates, b.curves.count == config.numUpdates else {
        fail("a run did not finish its \(config.numUpdates) updates")
    }
    guard zip(a.curves, b.curves).allSatisfy({ $0.equalsIgnoringTiming($1) }),
          a.policy?.actorParameters == b.policy?.actorParameters else {
        fail("the resumed run differs from the one trained straight through")
    }
    let evaluation = try RunEvaluation.evaluate(a, path: straightURL.path, episodes: 8, deterministic: true)
    guard evaluation.result.episodes == 8, evaluation.result.meanReturn.isFinite else {
        fail("evaluation of \(straightURL.path) returned \(evaluation.result)")
    }
    print("trained \(drift.summary) on cartpole for \(config.numUpdates) updates -> \(straightURL.path)")
    print(String(format: "evaluation over %d episodes: mean return %.2f", evaluation.result.episodes, evaluation.result.meanReturn))
    print("resumed after 3 updates: curves and policy bit-identical to the uninterrupted run")
} catch {
    fail("\(error)")
}
