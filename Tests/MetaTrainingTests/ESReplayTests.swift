import Foundation
import Testing
import TestSupport
@testable import MetaTraining

/// ESReplay rebuilds every generation's mean from a file's recorded fitness, and refuses a
/// history that does not lead to the stored state.
@Suite struct ESReplayTests {
    @Test func replayGivesEveryGenerationsMeanExactly() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var d = try MetaTrainingRunTests().description(generations: 3)
        // Long enough inner runs that members score differently and the mean moves.
        d.inner.config.totalSteps = 1024
        let url = dir.appendingPathComponent("three.h5")
        let run = try MetaTrainingRun(description: d, url: url, provenance: [:], workers: 2)
        // The means the run itself had after 0, 1, 2 and 3 generations.
        var means = [run.state.mean]
        try run.run(report: { _ in means.append(run.state.mean) })
        let contents = try MetaTrainingFile.read(from: url)

        var replayed: [(Int, [Float])] = []
        try ESReplay.visit(contents) { replayed.append(($0, $1)) }
        #expect(replayed.map(\.0) == [0, 1, 2, 3])
        #expect(replayed.map(\.1) == means)
        #expect(replayed[0].1 == (try MetaTrainingRun.initialMean(d.drift, xi: d.xi, seed: d.seed)))
        // The search moved (a generation whose members all score alike leaves it in place).
        #expect(means.last != means.first)
        #expect(try ESReplay.mean(contents, afterGenerations: 2) == means[2])
        #expect(throws: ESError.self) { try ESReplay.mean(contents, afterGenerations: 4) }
        #expect(throws: ESError.self) { try ESReplay.mean(contents, afterGenerations: -1) }
    }

    @Test func aHistoryThatDoesNotLeadToTheStoredStateIsRefused() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("two.h5")
        try MetaTrainingRun(description: try MetaTrainingRunTests().description(generations: 2), url: url, provenance: [:],
                            workers: 1).run()
        let contents = try MetaTrainingFile.read(from: url)
        try ESReplay.visit(contents) { _, _ in }

        // One member's recorded fitness changed: its pair's weight in the gradient changes.
        var edited = contents
        edited.history[1].fitness[0] += 1
        #expect {
            try ESReplay.visit(edited) { _, _ in }
        } throws: { error in
            "\(error)".contains("replaying the 2 recorded generations does not give the stored ES state: the mean differs")
        }
        // A generation missing from the history.
        var short = contents
        short.history.removeLast()
        #expect {
            try ESReplay.visit(short) { _, _ in }
        } throws: { error in
            "\(error)".contains("generation 1 against 2")
        }
        // The stored state's sigma edited: everything else replays, sigma does not.
        var sigma = contents
        sigma.state.sigma *= 2
        #expect {
            try ESReplay.visit(sigma) { _, _ in }
        } throws: { error in
            "\(error)".contains("sigma differs")
        }
    }
}
