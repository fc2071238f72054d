import Foundation
import Storage
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every reproduction of issue 15, as a test of the real binary.
@Suite struct ReliabilityRegressionTests {
    static let small = ["--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2", "--set", "evalEpisodes=2"]

    private func train(_ path: String, steps: Int = 256, extra: [String] = []) throws {
        let r = try DriftLabBinary.run(["train", "--env", "cartpole", "--drift", "dpo", "--steps", "\(steps)", "--out", path, "--quiet"]
                                       + Self.small + extra)
        try #require(r.status == 0, "\(r.stderr)")
    }

    private func firstErrorLine(_ r: DriftLabBinary.Result) -> String {
        r.stderr.split(separator: "\n").first.map(String.init) ?? ""
    }

    // MARK: 1. Corruption is detected before libhdf5 parses the file

    @Test func aChangedByteInTheDescriptionAttributeHeaderIsAnErrorNotASegfault() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("R.h5")
        try train(good.path)
        let bytes = try Data(contentsOf: good)
        // The byte sat in the attribute's header, just before its name; these offsets
        // crashed or hung libhdf5 1.10.8 in unsealed files.
        let name = try #require(bytes.range(of: Data("description_json".utf8)))
        for offset in [name.lowerBound - 16, name.lowerBound - 6, name.lowerBound - 5, name.lowerBound + 1] {
            var mutant = bytes
            mutant[offset] = 0xBD
            let file = dir.appendingPathComponent("R-\(offset).h5")
            try mutant.write(to: file)
            for args in [["runs", "summary", file.path], ["eval", file.path], ["runs", "compact", file.path],
                         ["train", "--resume", file.path]] {
                let r = try DriftLabBinary.run(args)
                #expect(r.status == 1, "\(args)")
                #expect(firstErrorLine(r) == "Error: cannot open '\(file.path)': the file is damaged: its contents do not match "
                        + "its DriftLab checksum" + firstErrorLine(r).components(separatedBy: "DriftLab checksum").last!)
            }
            #expect(try Data(contentsOf: file) == mutant, "nothing rewrote the damaged file")
        }
    }

    // MARK: 2. Traps

    @Test(arguments: [
        (["drift", "check", ":"], "nothing after ':'"),
        (["train", "--env", "cartpole", "--drift", ":", "--out", "x.h5"], "nothing after ':'"),
        (["train", "--env", "cartpole", "--set", "numEnvs=100000000000000000", "--out", "x.h5"], "numEnvs: 100000000000000000 is above the limit of 65536"),
        (["train", "--env", "cartpole", "--set", "rolloutSteps=4611686018427387904", "--out", "x.h5"], "rolloutSteps: 4611686018427387904 is above the limit"),
        (["meta-train", "--env", "cartpole", "--set", "numEnvs=100000000000000000", "--out", "y.h5"], "numEnvs: 100000000000000000 is above the limit"),
        (["meta-train", "--env", "cartpole", "--population", "2000000000", "--out", "y.h5"], "--population 2000000000 is above the limit of 4096"),
        (["eval", "x.h5", "--episodes", "2147483647"], "--episodes 2147483647 is above the limit of 100000"),
        (["drift", "map", "dpo", "--resolution", "100000", "--csv", "m.csv"], "--resolution 100000 is above the limit of 2001"),
        (["figure", "1", "--map-resolution", "100000"], "--map-resolution 100000 is above the limit of 4096"),
        // 3. An absurd budget is refused instead of planning 1.8e16 updates.
        (["train", "--env", "cartpole", "--steps", "9223372036854775807", "--out", "x.h5"], "--steps 9223372036854775807 is above the limit of 100000000000"),
        // 6. Values that used to be accepted silently.
        (["train", "--env", "cartpole", "--seeds", "1-", "--out-dir", "d"], "--seeds '1-'"),
        (["train", "--env", "cartpole", "--parallelism", "0", "--out", "x.h5"], "--parallelism must be ≥ 1, got 0"),
        (["drift", "check", "dpo:"], "nothing after ':' in 'dpo:'"),
        (["drift", "map", "dpo", "--progress", "nan", "--csv", "m.csv"], "--progress must be a finite number, got nan"),
        (["drift", "check", "dpo", "--log-r-range", "-1e308,1e308"], "--log-r-range '-1e308,1e308' goes beyond the limit"),
        (["drift", "check", "dpo", "--tolerance", "nan"], "--tolerance must be a finite number, got nan"),
        (["train", "--env", "cartpole", "--set", "learningRate=1e300", "--out", "x.h5"], "learningRate=1e300: out of range"),
        (["train", "--env", "cartpole", "--steps", "-5", "--out", "x.h5"], "--steps must be ≥ 0, got -5"),
        (["eval", "x.h5", "--episodes", "-5"], "--episodes must be ≥ 1, got -5"),
    ])
    func badValuesGetOneLineNamingOptionValueAndLimit(args: [String], message: String) throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try DriftLabBinary.run(args, in: dir)
        #expect(r.status != 0 && r.status < 128, "\(args): exit \(r.status)")
        #expect(firstErrorLine(r).contains(message), "\(args): \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))
    }

    @Test func nonFiniteKernelsAndBadPPOEpsilonInDriftFilesAreRefused() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("lpo.h5")
        #expect(try DriftLabBinary.run(["drift", "save", "lpo:init=random,seed=1", "--out", base.path]).status == 0)
        let nan = dir.appendingPathComponent("nan.h5"), eps = dir.appendingPathComponent("eps.h5")
        try Fuzz.rebuild(base, to: nan, [.dataset("/drift/layer_0/kernel", [Float](repeating: .nan, count: 8 * 128), shape: [8, 128])])
        try Fuzz.rebuild(base, to: eps, [.attribute("/drift@ppo_eps", -1.0)])
        for args in [["drift", "map", nan.path, "--csv", dir.appendingPathComponent("m.csv").path], ["drift", "diff", nan.path, "dpo"]] {
            let r = try DriftLabBinary.run(args)
            #expect(r.status == 1 && firstErrorLine(r).contains("/drift/layer_0/kernel holds NaN or infinite values"), "\(r.stderr)")
        }
        let r = try DriftLabBinary.run(["drift", "check", eps.path])
        #expect(r.status == 1 && firstErrorLine(r).contains("/drift/ppo_eps = -1.0 must be 0 (no PPO term) or in (0, 1)"), "\(r.stderr)")
    }

    // MARK: 3. Hangs

    @Test func aNotebookThatChecksItselfStops() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("self.md")
        try "# Self\n\n```driftlab\nnotebook check self.md\n```\n".write(to: url, atomically: true, encoding: .utf8)
        let r = try Fuzz.run(["notebook", "check", url.path], in: dir, timeout: 60)
        #expect(!r.timedOut && !r.signaled && r.status == 1)
        let run = try Fuzz.run(["notebook", "run", url.path], in: dir, timeout: 60)
        #expect(!run.timedOut && run.status == 1)
        // The innermost level is refused, and says why.
        let nested = try DriftLabBinary.run(["notebook", "check", url.path], environment: ["DRIFTLAB_NOTEBOOK_DEPTH": "2"])
        #expect(nested.status == 1 && nested.stderr.contains("self.md: not run: it would be notebook level 3 of at most 2"))
    }

    @Test func ctrlCOnNotebookRunStopsItsCommandAndRemovesCaptureFiles() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("slow.md")
        let text = "```driftlab\ntrain --env cartpole --steps 5000000 --out slow.h5 --quiet\n```\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        let scratch = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = DriftLabBinary.url
        process.arguments = ["notebook", "run", url.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": scratch.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the child's capture files: the command is running.
        let deadline = Date().addingTimeInterval(30)
        while (try FileManager.default.contentsOfDirectory(atPath: scratch.path)).isEmpty && Date() < deadline { usleep(50_000) }
        usleep(500_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty, "capture files removed")
        #expect(try String(contentsOf: url, encoding: .utf8) == text, "the notebook is unchanged")
        // The child stopped too: it wrote its interrupt checkpoint, and nothing writes the file any more.
        let run = URL(fileURLWithPath: dir.appendingPathComponent("slow.h5").path)
        if FileManager.default.fileExists(atPath: run.path) {
            let size = try FileManager.default.attributesOfItem(atPath: run.path)[.size] as? Int
            usleep(1_500_000)
            #expect(try FileManager.default.attributesOfItem(atPath: run.path)[.size] as? Int == size)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".slow.h5.lock").path))
        }
    }

    // MARK: 4. Data loss

    @Test func aMissingEndMarkerIsRefusedAndTheNotebookKept() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nb.md")
        let text = """
        ```driftlab
        drift check dpo --resolution 11
        ```

        <!-- driftlab-output -->
        ```text
        old
        ```

        Twenty lines of prose that must survive.

        ```driftlab
        drift check ppo --resolution 11
        ```

        <!-- driftlab-output -->
        ```text
        x
        ```
        <!-- /driftlab-output -->

        """
        try text.write(to: url, atomically: true, encoding: .utf8)
        let r = try DriftLabBinary.run(["notebook", "run", url.path])
        #expect(r.status == 1)
        #expect(firstErrorLine(r) == "Error: \(url.path):5: '<!-- driftlab-output -->' has no matching '<!-- /driftlab-output -->'")
        #expect(try String(contentsOf: url, encoding: .utf8) == text)
    }

    @Test func compactKeepsTheResumeStateOfANaNOrTruncatedPolicyAndEvalRefusesIt() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.h5")
        try train(base.path)
        let count = try HDF5File.open(base).root.read("policy/actor_parameters", as: Float.self).values.count
        for (name, values) in [("nan", [Float](repeating: .nan, count: count)), ("short", [Float](repeating: 0.1, count: count - 1))] {
            let file = dir.appendingPathComponent("\(name).h5")
            try Fuzz.rebuild(base, to: file, [.dataset("/policy/actor_parameters", values, shape: [values.count])])
            let compact = try DriftLabBinary.run(["runs", "compact", file.path])
            #expect(compact.status == 1 && firstErrorLine(compact).contains("not compacted, its resume state is kept"), "\(compact.stderr)")
            #expect(try HDF5File.open(file).root.contains("checkpoints/latest"))
            let eval = try DriftLabBinary.run(["eval", file.path, "--episodes", "2"])
            #expect(eval.status == 1 && firstErrorLine(eval).contains(file.path), "\(eval.stderr)")
        }
    }

    @Test func metaTrainResumeRefusesAHistoryOneRowShort() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("es.h5")
        let made = try DriftLabBinary.run(["meta-train", "--env", "cartpole", "--generations", "2", "--population", "2", "--inner-steps", "128",
                                           "--eval-episodes", "2", "--workers", "1", "--out", base.path, "--quiet",
                                           "--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2"])
        try #require(made.status == 0, "\(made.stderr)")
        let short = dir.appendingPathComponent("short.h5")
        try Fuzz.rebuild(base, to: short, [.dataset("/es/history/generation", [Int64(0)], shape: [1])])
        let r = try DriftLabBinary.run(["meta-train", "--resume", short.path, "--generations", "3", "--workers", "1", "--quiet"])
        #expect(r.status == 1)
        #expect(firstErrorLine(r).contains("'\(short.path)': /es/history/fitness has shape [2, 2], expected (1, 2)"), "\(r.stderr)")
    }

    @Test func aSecondWriterOfTheSameOutputGetsAClearError() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("same.h5").path
        let first = Process()
        first.executableURL = DriftLabBinary.url
        first.arguments = ["train", "--env", "cartpole", "--steps", "3000000", "--out", out, "--quiet"]
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() } }
        let lock = dir.appendingPathComponent(".same.h5.lock").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: lock) && Date() < deadline { usleep(20_000) }
        for extra in [[], ["--overwrite"]] {
            let second = try DriftLabBinary.run(["train", "--env", "cartpole", "--steps", "1024", "--out", out, "--quiet"] + extra)
            #expect(second.status == 1)
            #expect(firstErrorLine(second) == "Error: '\(out)' is being written by another process (pid \(first.processIdentifier)); "
                    + "wait for it to finish or stop it first")
        }
        let resume = try DriftLabBinary.run(["train", "--resume", out])
        #expect(resume.status == 1 && resume.stderr.contains("is being written by another process"))
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        #expect(first.terminationStatus == 130, "the first run checkpoints and exits as usual")
        #expect(try HDF5File.open(URL(fileURLWithPath: out)).root.attribute("env", as: String.self) == "cartpole")
    }

    @Test func resumingACompleteRunSaysSoAndLeavesItAloneUnlessStepsExtendsIt() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("done.h5").path
        try train(path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let r = try DriftLabBinary.run(["train", "--resume", path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("'\(path)' is complete (4 updates, 256 steps); nothing to do"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "command and created kept")
        let extended = try DriftLabBinary.run(["train", "--resume", path, "--steps", "512", "--quiet"])
        #expect(extended.status == 0, "\(extended.stderr)")
        #expect(try HDF5File.open(URL(fileURLWithPath: path)).root.read("curves/env_steps", as: Double.self).values.last == 512)
        let shorter = try DriftLabBinary.run(["train", "--resume", path, "--steps", "256"])
        #expect(shorter.status == 1 && shorter.stderr.contains("a run can only be extended"))
    }

    // MARK: 5. Disk full

    @Test func writingPastTheFileSizeLimitIsAnErrorNotASignal() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("big.h5").path
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        // 100 KiB: the run file of 30 updates is larger.
        shell.arguments = ["-c", "ulimit -f 100; exec \"$0\" train --env cartpole --steps 30000 --out \"$1\" --quiet", DriftLabBinary.url.path, out]
        let err = Pipe()
        shell.standardError = err
        try shell.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(shell.terminationReason == .exit && shell.terminationStatus == 1, "exit \(shell.terminationStatus): \(message)")
        #expect(message.hasPrefix("Error: ") && message.contains("'\(out)'") && message.contains("File too large (errno 27)"), "\(message)")
        #expect(message.split(separator: "\n").count == 1)
        #expect(!message.contains(".tmp.h5"), "the real file is named, not its temporary")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp.h5") || $0.hasSuffix(".lock") }.isEmpty)
    }

    @Test func staleTemporariesOfARunAreRemovedOnItsNextWrite() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let stale = dir.appendingPathComponent(".run.h5.\(UUID().uuidString).tmp.h5")
        try Data(count: 1000).write(to: stale)
        try train(dir.appendingPathComponent("run.h5").path)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    @Test func aCommandLineOverTheLimitInANotebookIsNamed() throws {
        let dir = temporaryDirectory("regress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("long.md")
        try ("# Long\n\n```driftlab\ndrift check " + String(repeating: "x", count: 1_100_000) + "\n```\n")
            .write(to: url, atomically: true, encoding: .utf8)
        let r = try DriftLabBinary.run(["notebook", "run", url.path])
        #expect(r.status == 1)
        // "drift", "check" and the long word, each with its separator: 6 + 6 + 1,100,001 bytes.
        #expect(firstErrorLine(r) == "Error: \(url.path):4: malformed command: the command is 1100013 bytes long; the limit is 131072")
    }
}
