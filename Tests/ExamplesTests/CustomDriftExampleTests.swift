import Foundation
import Testing

/// Runs the `CustomDrift` example binary (Examples/CustomDrift), built beside the tests by
/// `swift build`: a drift defined outside the library must train on CartPole, be saved in a
/// run file, evaluate, and resume bit-identically, all through DriftLabKit.
@Suite struct CustomDriftExampleTests {
    static let binary: URL = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("CustomDrift")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/CustomDrift")
    }()

    @Test func trainsSavesEvaluatesAndResumesBitIdentically() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "CustomDrift not found at \(Self.binary.path): run `swift build` before `swift test`")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custom-drift-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = [directory.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "stderr: \(stderr)")
        #expect(stdout.contains("trained soft-clip(scale=0.25) on cartpole"))
        #expect(stdout.contains("bit-identical"))
        // The run file carries the custom kind, so a program without the registration still
        // names it (RunFile reads it as an UnregisteredDrift).
        let file = directory.appendingPathComponent("soft-clip-straight.h5")
        #expect(FileManager.default.fileExists(atPath: file.path))
    }
}
