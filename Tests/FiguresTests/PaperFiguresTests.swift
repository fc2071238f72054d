import Drifts
import Foundation
import Plotting
import Testing
import TestSupport
import Training
@testable import Figures

@Suite struct PaperFiguresTests {
    func manifest(_ figures: [FigureManifest.Entry]) -> FigureManifest { FigureManifest(figures: figures) }

    @Test func mapFigureShowsRollbackRedAndClippedBlue() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var figures = PaperFigures(manifest: manifest([.init(number: 5, title: "DPO", kind: .map, drift: "dpo")]), root: dir)
        figures.mapResolution = 64
        let figure = try figures.figure(5)
        let written = try figures.write(5, to: dir.appendingPathComponent("figures"))
        #expect(written.map(\.lastPathComponent) == ["fig5.png", "fig5.pdf", "fig5.svg"])
        let image = try PNGImage(contentsOf: written[0].path)
        #expect(image.width == 3600 && image.height == 1200) // 12 x 4 inches at 300 dpi
        let scale = Double(image.width) / (12 * 72)
        let map = try figure.plotAreas()[0]
        func pixel(_ fx: Double, _ fy: Double) -> Color { // fractions of the heat map, y from the bottom
            image.pixel(x: Int((map.x + fx * map.width) * scale), y: Int((map.y + (1 - fy) * map.height) * scale))
        }
        let rollback = pixel(0.03, 0.03)   // r = e^-1, A = -4: dObj/dr > 0 (red)
        let clipped = pixel(0.97, 0.03)    // r = e, A = -4: dObj/dr = A < 0 (blue)
        #expect(rollback.red > rollback.blue + 0.3, "\(rollback)")
        #expect(clipped.blue > clipped.red + 0.2, "\(clipped)")
    }

    @Test func missingDriftFileNamesItAndTheCommand() throws {
        let figures = PaperFigures(manifest: manifest([.init(number: 3, title: "LPO", kind: .map, drift: "data/lpo.h5",
                                                             produce: "driftlab meta-train ...")]), root: temporaryDirectory())
        #expect(throws: FigureError.missingData(figure: 3, missing: ["drift file data/lpo.h5"], produce: "driftlab meta-train ...")) {
            try figures.figure(3)
        }
    }

    func writeRun(_ url: URL, returns: [Double], complete: Bool = true) throws {
        let curves = returns.enumerated().map { i, r in
            UpdateMetrics(update: i + 1, envSteps: (i + 1) * 1000, episodeReturn: r, episodesFinished: 1, entropy: 0.5,
                          policyLoss: 0, valueLoss: 0, approxKL: 0, driftActiveFraction: 0, learningRate: 0,
                          gradientNorm: 0, stepsPerSecond: 0)
        }
        let d = RunDescription(env: "cartpole", drift: "ppo", preset: "classic-control", seed: 0, convention: "gymnax",
                               config: TrainingConfig())
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try RunFile.write(to: url, description: d, drift: PPODrift(), curves: curves, checkpoint: nil, complete: complete,
                          provenance: [:])
    }

    @Test func curvesFigureAveragesFinishedSeedsAndNotesOptionalSeries() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeRun(root.appendingPathComponent("runs/a-ppo/0.h5"), returns: [1, 2, 3, 4])
        try writeRun(root.appendingPathComponent("runs/a-ppo/1.h5"), returns: [2, 3, 4, 5])
        try writeRun(root.appendingPathComponent("runs/a-ppo/2.h5"), returns: [9, 9], complete: false)
        try writeRun(root.appendingPathComponent("runs/a-dpo/0.h5"), returns: [0, 4, 8, 12])
        try writeRun(root.appendingPathComponent("runs/b-lpo/0.h5"), returns: [1, 2], complete: false)
        let entry = FigureManifest.Entry(number: 7, title: "curves", kind: .curves, curve: "episode_return", yLabel: "return",
            panels: [.init(title: "A", series: [
                .init(label: "PPO", color: "ppo", runs: "runs/a-ppo/*.h5"),
                .init(label: "LPO", color: "lpo", runs: "runs/a-lpo/*.h5", optional: true),
                .init(label: "DPO", color: "dpo", runs: "runs/a-dpo/*.h5")]),
                     .init(title: "B", series: [
                .init(label: "PPO", color: "ppo", runs: "runs/a-ppo/*.h5"),
                .init(label: "LPO", color: "lpo", runs: "runs/b-lpo/*.h5", optional: true)])])
        let figures = PaperFigures(manifest: manifest([entry]), root: root)
        var notes: [String] = []
        let figure = try figures.figure(7) { notes.append($0) }
        #expect(notes.contains { $0.contains("A: LPO left out") })
        // An optional series whose runs are all still training is left out too, not missing data.
        #expect(notes.contains { $0.contains("B: LPO left out, none of its 1 runs has finished") }, "\(notes)")
        #expect(notes.contains { $0.contains("1 unfinished runs left out") })
        let labels = figure.sharedLegendEntries().map(\.label)
        #expect(labels == ["PPO (2 seeds)", "DPO (1 seed)"])
        let png = root.appendingPathComponent("fig7.png")
        try figure.write(to: png)
        let image = try PNGImage(contentsOf: png.path)
        var sawPPO = false, sawDPO = false
        for y in stride(from: 0, to: image.height, by: 2) {
            for x in stride(from: 0, to: image.width, by: 2) {
                let c = image.pixel(x: x, y: y)
                if abs(c.red - Color.ppo.red) < 0.05 && abs(c.blue - Color.ppo.blue) < 0.05 && abs(c.green - Color.ppo.green) < 0.05 { sawPPO = true }
                if abs(c.red - Color.dpo.red) < 0.05 && abs(c.blue - Color.dpo.blue) < 0.05 && abs(c.green - Color.dpo.green) < 0.05 { sawDPO = true }
            }
        }
        #expect(sawPPO && sawDPO)
    }

    /// A fixed y range keeps one collapsing series from flattening the others; a malformed one is named.
    @Test func yLimitsFixTheRangeOfEveryPanel() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeRun(root.appendingPathComponent("runs/a-ppo/0.h5"), returns: [1, 2, 3, 4])
        try writeRun(root.appendingPathComponent("runs/a-lpo/0.h5"), returns: [1, -50_000, -20_000, 2])
        func entry(_ limits: [Double]?) -> FigureManifest.Entry {
            FigureManifest.Entry(number: 4, title: "a long figure title over one single narrow panel of curves", kind: .curves,
                curve: "episode_return", yLabel: "return",
                panels: [.init(title: "A", series: [.init(label: "PPO", color: "ppo", runs: "runs/a-ppo/*.h5"),
                                                     .init(label: "LPO", color: "lpo", runs: "runs/a-lpo/*.h5")])],
                yLimits: limits)
        }
        let free = try PaperFigures(manifest: manifest([entry(nil)]), root: root).figure(4)
        #expect(free.panels[0].resolvedLimits().y.lowerBound <= -50_000)
        let fixed = try PaperFigures(manifest: manifest([entry([-5, 6])]), root: root).figure(4)
        #expect(fixed.panels[0].resolvedLimits().y == -5...6)
        #expect(throws: FigureError.self) { try PaperFigures(manifest: manifest([entry([6, -5])]), root: root).figure(4) }
        // The single panel is wide enough for a two-column legend, and the long title still renders.
        #expect(fixed.width >= 4.8 * 72)
        _ = try fixed.render()
    }

    @Test func requiredSeriesWithoutRunsIsMissingData() throws {
        let entry = FigureManifest.Entry(number: 4, title: "entropy", kind: .curves, curve: "entropy", yLabel: "entropy",
            panels: [.init(title: "Ant", series: [.init(label: "PPO", color: "ppo", runs: "runs/ant-ppo/*.h5")])],
            produce: "driftlab train --env ant ...")
        let figures = PaperFigures(manifest: manifest([entry]), root: temporaryDirectory())
        do {
            _ = try figures.figure(4)
            Issue.record("drew a figure without data")
        } catch let error as FigureError {
            #expect("\(error)".contains("runs/ant-ppo/*.h5") && "\(error)".contains("driftlab train --env ant"))
        }
    }

    /// A draft draws what there is: required series without finished runs are left out with a
    /// note, and the title says how many; without --draft the same figure is missing data.
    @Test func aDraftLeavesOutRequiredSeriesAndSaysSo() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeRun(root.appendingPathComponent("runs/a-ppo/0.h5"), returns: [1, 2, 3, 4])
        try writeRun(root.appendingPathComponent("runs/a-dpo/0.h5"), returns: [1, 2], complete: false)
        let entry = FigureManifest.Entry(number: 6, title: "return", kind: .curves, curve: "episode_return", yLabel: "return",
            panels: [.init(title: "A", series: [.init(label: "PPO", color: "ppo", runs: "runs/a-ppo/*.h5"),
                                                 .init(label: "LPO", color: "lpo", runs: "runs/a-lpo/*.h5"),
                                                 .init(label: "DPO", color: "dpo", runs: "runs/a-dpo/*.h5")]),
                     .init(title: "B", series: [.init(label: "PPO", color: "ppo", runs: "runs/b-ppo/*.h5")])])
        var figures = PaperFigures(manifest: manifest([entry]), root: root)
        #expect(throws: FigureError.self) { try figures.figure(6) }
        figures.draft = true
        var notes: [String] = []
        let figure = try figures.figure(6) { notes.append($0) }
        #expect(figure.title == "return (draft: 3 series without finished runs)", "\(String(describing: figure.title))")
        #expect(notes.contains("figure 6, A: LPO left out, no runs match runs/a-lpo/*.h5"), "\(notes)")
        #expect(notes.contains { $0.contains("A: DPO left out, none of its 1 runs has finished") }, "\(notes)")
        #expect(figure.sharedLegendEntries().map(\.label) == ["PPO (1 seed)"])
        _ = try figure.render()
    }

    @Test func shippedManifestIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/figures.json")
        let manifest = try FigureManifest.read(from: url)
        #expect(manifest.figures.map(\.number) == [1, 2, 3, 4, 5, 6, 7])
        #expect(manifest.figures.map(\.fileName) == (1...7).map { "fig\($0)" })
        // The extra manifest (issue 5's PPO-against-DPO curves) names its files itself.
        let extra = try FigureManifest.read(from: url.deletingLastPathComponent().appendingPathComponent("mujoco-first-results.json"))
        #expect(extra.figures.map(\.fileName) == ["mujoco-return", "mujoco-entropy"])
    }

    @Test func anEntryNamesItsOwnFiles() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var figures = PaperFigures(manifest: manifest([.init(number: 1, title: "PPO", kind: .map, drift: "ppo", name: "ppo-map")]),
                                   root: dir)
        figures.mapResolution = 16
        let written = try figures.write(1, to: dir)
        #expect(written.map(\.lastPathComponent) == ["ppo-map.png", "ppo-map.pdf", "ppo-map.svg"])
        #expect(written.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }
}
