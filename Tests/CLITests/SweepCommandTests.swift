import Foundation
import Storage
import Testing
import TestSupport

/// `driftlab sweep` end to end: the same files whatever runs them, resumable after kill -9,
/// instant when finished, and one-line errors for malformed sweep files.
@Suite(.serialized) struct SweepCommandTests {
    /// CartPole, 2 drifts x 2 seeds, 2e4 steps (39 updates of 512 steps), evaluated every 10
    /// updates and checkpointed every 5 so that an interrupted run has something to resume.
    static let sweep = """
        out-dir = "runs"
        envs = ["cartpole"]
        seeds = "0-1"

        [drifts]
        ppo = "ppo"
        dpo = "dpo"

        [settings]
        steps = 2e4
        evalInterval = 10
        evalEpisodes = 4
        checkpointInterval = 5
        """
    static let files = ["cartpole-ppo/0.h5", "cartpole-dpo/0.h5", "cartpole-ppo/1.h5", "cartpole-dpo/1.h5"]

    /// A run file's contents up to timing: every curve but steps_per_second, and the policy.
    struct Fingerprint: Equatable {
        var curves: [String: [Double]]
        var policy: [Float]
        var status: String
        var update: Int
    }

    static func fingerprint(_ path: String) throws -> Fingerprint {
        let root = try HDF5File.open(URL(fileURLWithPath: path)).root
        var curves: [String: [Double]] = [:]
        for name in try root.openGroup("curves").children() where name != "steps_per_second" {
            // NaN (no evaluation after that update) never equals itself: compare a stand-in.
            curves[name] = try root.read("curves/\(name)", as: Double.self).values.map { $0.isNaN ? -1e300 : $0 }
        }
        return Fingerprint(curves: curves, policy: try root.read("policy/actor_parameters", as: Float.self).values,
                           status: try root.attribute("status", as: String.self),
                           update: try root.openGroup("policy").attribute("update", as: Int.self))
    }

    static func fingerprints(_ dir: URL) throws -> [Fingerprint] {
        try files.map { try fingerprint(dir.appendingPathComponent("runs/\($0)").path) }
    }

    static func makeSweep(in dir: URL) throws {
        try sweep.write(to: dir.appendingPathComponent("small.toml"), atomically: true, encoding: .utf8)
    }


    /// One test, so that the reference sweep is trained once: --workers 1, --workers 2, MPI
    /// with 2 ranks, and a sweep killed with kill -9 and run again all write the same files;
    /// a finished sweep run again trains nothing; status reports complete and missing runs.
    @Test func sweepsWriteTheSameFilesHoweverTheyRunAndResumeAfterKill9() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        var dirs: [URL] = []
        for name in ["one", "two", "mpi", "killed"] {
            let dir = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Self.makeSweep(in: dir)
            dirs.append(dir)
        }
        let one = try DriftLabBinary.run(["sweep", "small.toml", "--workers", "1"], in: dirs[0])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.contains("4 of 4 runs complete") && one.stdout.contains("156 updates trained"), "\(one.stdout)")
        let two = try DriftLabBinary.run(["sweep", "small.toml", "--workers", "2"], in: dirs[1])
        #expect(two.status == 0, "\(two.stderr)")
        let reference = try Self.fingerprints(dirs[0])
        #expect(reference.allSatisfy { $0.status == "complete" && $0.update == 39 && $0.curves["update"]?.count == 39 })
        // Evaluation every 10 updates and after the last: updates 10, 20, 30 and 39.
        let evaluated = reference[0].curves["eval_return"]!.enumerated().filter { $0.element != -1e300 }.map { $0.offset + 1 }
        #expect(evaluated == [10, 20, 30, 39])
        #expect(reference[0] != reference[1], "PPO and DPO train differently")
        #expect(try Self.fingerprints(dirs[1]) == reference)
        // Finished runs are compacted: no resume state left.
        let file = try HDF5File.open(dirs[0].appendingPathComponent("runs/cartpole-ppo/0.h5")).root
        #expect(try !file.contains("checkpoints"))

        if let mpirun = mpirunPath() {
            let mpi = try runProcess(mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "2", DriftLabBinary.url.path,
                                            "sweep", "small.toml"], in: dirs[2])
            #expect(mpi.status == 0, "\(mpi.output)")
            #expect(mpi.output.contains("MPI: 2 ranks") && mpi.output.contains("rank 0 with 1 workers"), "\(mpi.output)")
            #expect(try Self.fingerprints(dirs[2]) == reference)
        } else {
            print("skipped the MPI part: mpirun is not installed (apt-get install openmpi-bin)")
        }

        try killMidwayAndRerun(in: dirs[3], reference: reference)

        // A finished sweep run again trains nothing, writes nothing, and takes a moment.
        let before = try Self.files.map { try Data(contentsOf: dirs[0].appendingPathComponent("runs/\($0)")) }
        let start = Date()
        let again = try DriftLabBinary.run(["sweep", "small.toml"], in: dirs[0])
        let seconds = Date().timeIntervalSince(start)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("4 runs were already complete, 0 updates trained"), "\(again.stdout)")
        #expect(seconds < 5, "rerunning a finished sweep took \(seconds) s")
        #expect(try Self.files.map { try Data(contentsOf: dirs[0].appendingPathComponent("runs/\($0)")) } == before)

        // status: every run complete; a deleted file shows as missing.
        try FileManager.default.removeItem(at: dirs[0].appendingPathComponent("runs/cartpole-dpo/1.h5"))
        let status = try DriftLabBinary.run(["sweep", "status", "small.toml", "--json"], in: dirs[0])
        #expect(status.status == 0, "\(status.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["env"]!)-\($0["label"]!)" } == ["cartpole-ppo", "cartpole-dpo"])
        #expect(rows[0]["complete"] as? [Int] == [0, 1] && rows[0]["missing"] as? [Int] == [])
        #expect(rows[1]["complete"] as? [Int] == [0] && rows[1]["missing"] as? [Int] == [1])
    }

    /// A sweep killed with kill -9 mid-way, then run again, ends with the files of `reference`.
    func killMidwayAndRerun(in killed: URL, reference: [Fingerprint]) throws {
        let process = Process()
        process.executableURL = DriftLabBinary.url
        process.arguments = ["sweep", "small.toml", "--workers", "2", "--quiet"]
        process.currentDirectoryURL = killed
        try process.run()
        // Kill once the second seed's first run has checkpointed: seed 0's runs are then done
        // or nearly, seed 1's partial or not started.
        let partial = killed.appendingPathComponent("runs/cartpole-ppo/1.h5")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: partial.path) && process.isRunning && Date() < deadline {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the sweep ended before it could be killed")

        let status = try DriftLabBinary.run(["sweep", "status", "small.toml"], in: killed)
        #expect(status.status == 0 && !status.stdout.contains(" 0 partial") && !status.stdout.contains("4 of 4"), "\(status.stdout)")
        let rerun = try DriftLabBinary.run(["sweep", "small.toml", "--workers", "2"], in: killed)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("4 of 4 runs complete"), "\(rerun.stdout)")
        #expect(try Self.fingerprints(killed) == reference)
    }

    /// The test sweep with one part replaced.
    static func text(outDir: String = "\"runs\"", envs: String = "[\"cartpole\"]", seeds: String = "\"0-1\"",
                     drifts: String = "ppo = \"ppo\"", extra: String = "") -> String {
        "out-dir = \(outDir)\nenvs = \(envs)\nseeds = \(seeds)\n\(extra)\n[drifts]\n\(drifts)\n"
    }

    @Test(arguments: [
        (SweepCommandTests.text(extra: "typo = 1"), "typo: unknown key"),
        (SweepCommandTests.text(seeds: "\"3-1\""), "seeds: seeds '3-1': the range '3-1' runs backwards"),
        (SweepCommandTests.text(seeds: "\"0-x\""), "seeds: seeds '0-x': '0-x' is not a seed"),
        (SweepCommandTests.text(envs: "[\"pong\"]"), "envs: unknown environment 'pong'"),
        (SweepCommandTests.text(drifts: "trpo = \"trpo\""), "drifts.trpo: invalid drift spec: unknown drift 'trpo'"),
        (SweepCommandTests.text(drifts: "lpo = \"missing/lpo.h5\""), "drifts.lpo: cannot open"),
        (SweepCommandTests.text(drifts: "ppo = \"ppo\"\n[settings]\nlearningRat = 0.1"), "settings.learningRat: unknown key"),
        (SweepCommandTests.text(drifts: "ppo = \"ppo\"\n[settings]\npreset = \"atari\""), "settings.preset: unknown preset"),
        (SweepCommandTests.text(outDir: "[1]"), "out-dir: expected a non-empty string"),
    ])
    func aMalformedSweepFileGetsAOneLineErrorNamingTheFileAndTheKey(text: String, message: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try text.write(to: dir.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)
        for command in [["sweep", "bad.toml"], ["sweep", "status", "bad.toml"]] {
            let result = try DriftLabBinary.run(command, in: dir)
            #expect(result.status != 0)
            #expect(result.stderr.contains("'bad.toml': \(message)"), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("Fatal error"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("runs").path))
        }
    }
}

/// The shipped sweep files name exactly the shipped runs (made by `train --seeds` through the
/// former scripts): no file in their out-dirs holds a different run. Read-only.
@Suite struct ShippedSweepFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: [("figure-4.toml", 30), ("figure-6.toml", 240), ("figure-7.toml", 120), ("transfer.toml", 90),
                      ("transfer-50000.toml", 60), ("transfer-lpo-zero.toml", 80), ("mujoco-first-results.toml", 20),
                      ("lpo-breakout-1e6.toml", 30), ("lpo-breakout-s0.1.toml", 40), ("probe-heldout-1e6.toml", 45),
                      ("probe-no-anneal-1e6.toml", 60), ("probe-no-anneal-none.toml", 10),
                      ("lpo-breakout-space-invaders.toml", 40), ("lpo-breakout-generations.toml", 50),
                      ("lpo-breakout-g50.toml", 40)])
    func sweepFileMatchesTheShippedRuns(file: String, runs: Int) throws {
        let result = try DriftLabBinary.run(["sweep", "status", "sweeps/\(file)", "--json"], in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.reduce(0) { $0 + ($1["seeds"] as? Int ?? 0) } == runs)
        #expect(rows.allSatisfy { ($0["different"] as? [String])?.isEmpty == true }, "\(result.stdout)")
    }

    /// `--root` takes the file's relative paths from another directory (a notebook runs in
    /// notebooks-md/); a root that is not a directory is a one-line error naming it.
    @Test func rootTakesTheFilesRelativePathsFromAnotherDirectory() throws {
        let notebooks = Self.root.appendingPathComponent("notebooks-md")
        let result = try DriftLabBinary.run(["sweep", "status", "../sweeps/figure-7.toml", "--root", "..", "--json"], in: notebooks)
        #expect(result.status == 0, "\(result.stderr)")
        let fromRoot = try DriftLabBinary.run(["sweep", "status", "sweeps/figure-7.toml", "--json"], in: Self.root)
        #expect(result.stdout == fromRoot.stdout)
        let bad = try DriftLabBinary.run(["sweep", "status", "../sweeps/figure-7.toml", "--root", "nowhere"], in: notebooks)
        #expect(bad.status != 0 && bad.stderr.contains("--root: 'nowhere' is not a directory"), "\(bad.stderr)")
    }

    /// `--labels` keeps only the named drifts of the file; a label the file lacks is an error naming it.
    @Test func labelsSelectDriftsOfTheFile() throws {
        let result = try DriftLabBinary.run(["sweep", "status", "sweeps/figure-6.toml", "--labels", "ppo,dpo", "--json"], in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.reduce(0) { $0 + ($1["seeds"] as? Int ?? 0) } == 160)
        #expect(Set(rows.compactMap { $0["label"] as? String }) == ["ppo", "dpo"], "\(result.stdout)")
        let bad = try DriftLabBinary.run(["sweep", "status", "sweeps/figure-6.toml", "--labels", "ppo,xyz"], in: Self.root)
        #expect(bad.status != 0 && bad.stderr.contains("--labels: 'xyz' is not in sweeps/figure-6.toml"), "\(bad.stderr)")
    }
}
