import Foundation
import Testing
import TestSupport

/// The live progress line under a real pseudo-terminal (issue 18, finding 1): fitted to the
/// terminal's width, so that it never wraps into one new line per update.
@Suite(.serialized) struct ProgressLineTests {
    let small = ["--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2", "--set", "evalEpisodes=2",
                 "--set", "evalInterval=10"]

    /// `script` (util-linux) runs the binary on a pseudo-terminal whose width `stty` sets.
    static let script = ["/usr/bin/script", "/bin/script"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The output of `driftlab args` on a `columns`-wide terminal.
    func underTerminal(columns: Int, _ args: [String]) throws -> String {
        let quoted = ([DriftLabBinary.url.path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let (status, output) = try runProcess(Self.script!, ["-qfec", "stty cols \(columns) rows 24; exec " + quoted.joined(separator: " "),
                                                              "/dev/null"])
        #expect(status == 0, "\(output)")
        return output
    }

    /// The pieces of terminal output between carriage returns and newlines, escape codes removed.
    func segments(_ output: String) -> [String] {
        output.replacingOccurrences(of: "\u{1B}[K", with: "")
            .split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
    }

    @Test(.enabled(if: script != nil, "needs util-linux script"), arguments: [80, 40])
    func theTrainingLineFitsTheTerminal(columns: Int) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("run.h5").path
        let output = try underTerminal(columns: columns, ["train", "--env", "cartpole", "--out", out, "--steps", "3200"] + small)
        let lines = segments(output).filter { $0.contains("ETA") }
        #expect(!lines.isEmpty, "no progress line in \(output)")
        for line in lines {
            #expect(line.count < columns, "\(line.count) columns: '\(line)'")
            #expect(line.contains("%") && line.contains("return"), "'\(line)'")
        }
        let last = try #require(lines.last)
        #expect(last.contains("100.0%"))
        if columns >= 80 {
            // Wide enough for the bar, the update count, elapsed time and the eval return once known.
            #expect(last.contains("[####") && last.contains("update 50/50") && last.contains("elapsed") && last.contains("eval "), "'\(last)'")
        }
        #expect(output.contains("done: eval return"))
    }

    @Test(.enabled(if: script != nil, "needs util-linux script"))
    func severalSeedsShowOneLiveAggregateLine() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let output = try underTerminal(columns: 40, ["train", "--env", "cartpole", "--seeds", "0-2", "--out-dir", dir.path,
                                                     "--steps", "1280"] + small)
        let lines = segments(output).filter { $0.hasPrefix("runs ") }
        #expect(!lines.isEmpty, "no aggregate line in \(output)")
        for line in lines { #expect(line.count < 40, "'\(line)'") }
        #expect(lines.last?.hasPrefix("runs 3/3 done") == true, "\(lines)")
        #expect(output.contains("eval return over 3 seeds"))
    }

    @Test func anInterruptedSeedsRunPrintsTheCommandThatContinuesIt() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = Process()
        process.executableURL = DriftLabBinary.url
        process.arguments = ["train", "--env", "cartpole", "--seeds", "0-1", "--out-dir", dir.path, "--steps", "10000000"] + small
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Interrupt once both seeds are training: their files exist after the first checkpoint
        // or, at the latest, when they stop.
        Thread.sleep(forTimeInterval: 3)
        process.interrupt()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130, "\(text)")
        #expect(!text.contains("nan"), "\(text)")
        #expect(text.contains("interrupted: 2 of 2 seeds checkpointed; continue with: ") && text.contains("--seeds 0-1"), "\(text)")
        for seed in 0...1 { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(seed).h5").path)) }
    }
}
