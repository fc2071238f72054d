import Drifts
import Foundation
import Storage
import Testing
import TestSupport
@testable import Training

/// A run file whose drift kind this program has not registered (a drift from another
/// package) still reads: curves, description and policy; resuming it names the kind.
@Suite struct UnregisteredDriftRunTests {
    /// Copies the run file at `source` to `target` with `/drift` replaced by a group of kind `kind`.
    func relabel(_ source: URL, to target: URL, kind: String) throws {
        let old = try HDF5File.open(source)
        try HDF5File.writeAtomically(to: target) { file in
            let root = try file.root, from = try old.root
            for name in try from.attributeNames() { try root.setAttribute(name, try from.attributeValue(name)) }
            for child in try from.children() where child != "drift" { try from.copy(child, to: root) }
            try root.createGroup("drift").setAttribute("kind", kind)
        }
        try old.close()
    }

    @Test func curvesReadAndResumeNamesTheKind() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try TrainingPreset.classicControl.config.applying([
            ("numEnvs", "4"), ("rolloutSteps", "8"), ("minibatches", "2"), ("totalSteps", "96"), ("evalEpisodes", "2"),
        ])
        let description = RunDescription(env: "cartpole", drift: "mystery:x=1", preset: "classic-control", seed: 3,
                                         convention: "gymnax", config: config)
        let trained = dir.appendingPathComponent("trained.h5"), relabelled = dir.appendingPathComponent("mystery.h5")
        let run = try TrainingRun(description: description, drift: DPODrift(), url: trained, provenance: [:], parallelism: 1)
        try run.run(shouldStop: { run.trainer.updatesDone >= 2 })
        try relabel(trained, to: relabelled, kind: "mystery")

        let contents = try RunFile.read(from: relabelled)
        let drift = try #require(contents.drift as? UnregisteredDrift)
        #expect(drift.kind == "mystery" && drift.summary.contains("'mystery'"))
        // The curves are the trained run's, row for row.
        #expect(contents.curves.count == 2)
        for (a, b) in zip(contents.curves, run.curves) { #expect(a.equalsIgnoringTiming(b)) }
        #expect(contents.description == description)
        #expect(performing: { try TrainingRun.resume(from: relabelled, provenance: [:]) },
                throws: { "\($0)".contains("drift kind 'mystery' is not registered") })
    }
}
