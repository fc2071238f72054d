import Drifts
import Foundation
import Storage
import Testing
import TestSupport

@Suite struct MetaTrainCommandTests {
    let args = ["meta-train", "--env", "cartpole", "--drift", "lpo", "--generations", "2", "--population", "4",
                "--inner-steps", "2048", "--eval-episodes", "4", "--quiet"]

    func history(_ path: String) throws -> (fitness: [Double], mean: [Float]) {
        let root = try HDF5File.open(URL(fileURLWithPath: path)).root
        return (try root.read("es/history/fitness", as: Double.self).values, try root.read("es/state/mean", as: Float.self).values)
    }

    @Test func metaTrainWritesAUsableDriftFileAndResumes() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lpo.h5").path
        let first = try DriftLabBinary.run(args.map { $0 == "2" ? "1" : $0 } + ["--out", path])
        #expect(first.status == 0, "\(first.stderr)")
        let resumed = try DriftLabBinary.run(["meta-train", "--resume", path, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try history(path).fitness.count == 4) // still 1 generation: the file says generations = 1
        let check = try DriftLabBinary.run(["drift", "check", path, "--resolution", "21"])
        #expect(check.status == 0 && check.stdout.contains("valid Mirror-Learning drift"))
        // Rerunning the command with a new total continues the file, exactly as a straight run.
        let again = try DriftLabBinary.run(args + ["--out", path])
        #expect(again.status == 0, "\(again.stderr)")
        let straight = dir.appendingPathComponent("straight.h5").path
        #expect(try DriftLabBinary.run(args + ["--out", straight]).status == 0)
        #expect(try history(path).fitness == history(straight).fitness && history(path).mean == history(straight).mean)
        // Another setting is another run: refused, naming what differs, and the file is kept.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let other = try DriftLabBinary.run(args + ["--sigma", "0.1", "--set", "learningRate=0.001", "--out", path])
        #expect(other.status != 0 && other.stderr.contains("params.sigmaInit: 0.04 in the file, 0.1 here")
                && other.stderr.contains("inner.config.learningRate") && other.stderr.contains("--resume"), "\(other.stderr)")
        #expect(other.stderr.split(separator: "\n").count == 1 && !other.stderr.contains("Fatal error"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// A resumed run continues with the kernels its file began with (the first entry of
    /// `blas_core`): OpenBLAS alone stays OpenBLAS alone without DRIFTLAB_GEMM, and a
    /// misspelt DRIFTLAB_GEMM is a one-line error, not a silent switch.
    @Test func aResumedRunKeepsTheKernelsItBeganWith() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func kernels(_ path: String) throws -> String {
            try HDF5File.open(URL(fileURLWithPath: path)).root.attribute("blas_core", as: String.self)
        }
        for (name, environment) in [("openblas", ["DRIFTLAB_GEMM": "openblas"]), ("default", [:])] {
            let path = dir.appendingPathComponent("\(name).h5").path
            let first = try DriftLabBinary.run(args.map { $0 == "2" ? "1" : $0 } + ["--out", path], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            let began = try kernels(path)
            let resumed = try DriftLabBinary.run(["meta-train", "--resume", path, "--generations", "2", "--quiet"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try history(path).fitness.count == 8)
            #expect(try kernels(path) == began, "\(name): began with \(began)")
        }
        let bad = try DriftLabBinary.run(["drift", "features", "ppo"], environment: ["DRIFTLAB_GEMM": "fast"])
        #expect(bad.status == 64 && bad.stderr.contains("DRIFTLAB_GEMM='fast': use openblas"), "\(bad.stderr)")
    }

    /// `--sigma-decay` sets the factor on sigma after each generation: 1 keeps it constant, the
    /// default 0.999 shrinks it; the factor is stored with the run, so a resumed run keeps it.
    /// A factor outside (0, 1] is a one-line error naming the option.
    @Test func sigmaDecayIsStoredAndKept() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func sigmas(_ path: String) throws -> [Double] {
            try HDF5File.open(URL(fileURLWithPath: path)).root.read("es/history/sigma", as: Double.self).values
        }
        let constant = dir.appendingPathComponent("constant.h5").path, decayed = dir.appendingPathComponent("decayed.h5").path
        let base = args.map { $0 == "2" ? "1" : $0 } + ["--sigma", "0.1"]
        #expect(try DriftLabBinary.run(base + ["--sigma-decay", "1", "--out", constant]).status == 0)
        #expect(try DriftLabBinary.run(base + ["--out", decayed]).status == 0)
        for path in [constant, decayed] {
            let resumed = try DriftLabBinary.run(["meta-train", "--resume", path, "--generations", "2", "--quiet"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
        }
        #expect(try sigmas(constant) == [0.1, 0.1])
        let shrinking = try sigmas(decayed)
        #expect(shrinking.count == 2 && shrinking[0] == 0.1 && abs(shrinking[1] - 0.0999) < 1e-12, "\(shrinking)")
        for bad in ["0", "1.5", "nan"] {
            let result = try DriftLabBinary.run(base + ["--sigma-decay", bad, "--out", dir.appendingPathComponent("x.h5").path])
            #expect(result.status != 0 && result.stderr.contains("--sigma-decay"), "\(bad): \(result.stderr)")
        }
    }

    /// Two MPI ranks produce exactly the generations of one process with the same seed.
    @Test func mpiMatchesASingleProcess() throws {
        guard let mpirun = mpirunPath() else {
            print("skipped: mpirun is not installed (apt-get install openmpi-bin)")
            return
        }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let single = dir.appendingPathComponent("single.h5").path, multi = dir.appendingPathComponent("mpi.h5").path
        let one = try DriftLabBinary.run(args + ["--out", single, "--workers", "1"])
        #expect(one.status == 0, "\(one.stderr)")
        let (status, output) = try runProcess(mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "2", DriftLabBinary.url.path]
            + args + ["--out", multi, "--workers", "1"])
        #expect(status == 0, "\(output)")
        let a = try history(single), b = try history(multi)
        #expect(a.fitness.count == 8 && a.fitness == b.fitness)
        #expect(a.mean == b.mean)
    }
}

@Suite struct MetaHistoryCommandTests {
    /// A small LPO meta-training run on `environments` (population 4) written to `dir/name`.
    func metaTrain(_ dir: URL, _ name: String, environments: [String], generations: Int, innerSteps: Int,
                   evalEpisodes: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let train = try DriftLabBinary.run(["meta-train"] + environments.flatMap { ["--env", $0] }
            + ["--drift", "lpo", "--generations", "\(generations)", "--population", "4", "--inner-steps", "\(innerSteps)",
               "--eval-episodes", "\(evalEpisodes)", "--quiet", "--out", path])
        #expect(train.status == 0, "\(train.stderr)")
        return path
    }

    /// Width and height of a PNG, from its IHDR chunk.
    func pngSize(_ path: String) throws -> (width: Int, height: Int) {
        let image = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        return (image[16..<20].reduce(0) { $0 << 8 | Int($1) }, image[20..<24].reduce(0) { $0 << 8 | Int($1) })
    }

    @Test func showsTheFileGenerationsAsTableJSONAndPlot() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try metaTrain(dir, "lpo.h5", environments: ["cartpole"], generations: 3, innerSteps: 2048, evalEpisodes: 4)
        let fitness = try HDF5File.open(URL(fileURLWithPath: path)).root.read("es/history/fitness", as: Double.self).values
        let png = dir.appendingPathComponent("fitness.png").path
        let table = try DriftLabBinary.run(["meta-history", path, "--every", "2", "--png", png])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("3 of 3 generations"))
        let rows = table.stdout.split(separator: "\n").filter { $0.contains("±") && !$0.contains("fitness") }
        #expect(rows.count == 2 && rows[0].hasPrefix("    1-2") && rows[1].hasPrefix("    3-3"))
        // The one-generation block has no standard error: a dash, not nan.
        #expect(!rows[0].contains("± -") && rows[1].contains("± -") && !table.stdout.contains("nan"), "\(table.stdout)")
        // The PNG's IHDR holds its size: 7 x (2.9 + 0.9) inches at the default resolution is wider than tall.
        let (width, height) = try pngSize(png)
        #expect(width > height && height > 100)

        let json = try DriftLabBinary.run(["meta-history", path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [[String: Any]]]
        let generations = try #require(object?[path])
        #expect(generations.count == 3)
        for (g, row) in generations.enumerated() {
            let mine = fitness[(g * 4)..<(g * 4 + 4)]
            #expect(abs((row["mean"] as! Double) - mine.reduce(0, +) / 4) < 1e-9)
            #expect(row["max"] as? Double == mine.max() && row["generation"] as? Double == Double(g))
            // One environment: the raw return is the fitness.
            let taskMeans = try #require(row["taskMeans"] as? [Double], "\(row)")
            #expect(taskMeans.count == 1 && abs(taskMeans[0] - (row["mean"] as! Double)) < 1e-9, "\(row)")
        }
        // A generation whose inner runs all broke has no mean: JSON says "nan" instead of failing.
        try HDF5File.modifyAtomically(URL(fileURLWithPath: path)) { file in
            try file.root.openDataset("es/history/fitness").write(fitness.enumerated().map { $0.offset < 4 ? .nan : $0.element })
        }
        let broken = try DriftLabBinary.run(["meta-history", path, "--json"])
        #expect(broken.status == 0 && broken.stdout.contains("\"nan\""), "\(broken.stderr)")
    }

    /// With two inner environments the table adds each one's mean raw return per block.
    @Test func severalEnvironmentsGetAReturnColumnEach() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try metaTrain(dir, "two.h5", environments: ["cartpole", "acrobot"], generations: 2, innerSteps: 1024,
                                 evalEpisodes: 2)
        let png = dir.appendingPathComponent("returns.png").path
        let table = try DriftLabBinary.run(["meta-history", path, "--every", "2", "--png", png])
        #expect(table.status == 0, "\(table.stderr)")
        // A panel of raw returns per environment: two stacked panels, nearly square (one is
        // about twice as wide as tall).
        let (width, height) = try pngSize(png)
        #expect(Double(height) > 0.8 * Double(width), "\(width) x \(height)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("s/gen") && $0.contains("cartpole") && $0.contains("acrobot") }, "\(table.stdout)")
        let row = try #require(lines.first { $0.hasPrefix("    1-2") })
        // Fitness mean 0 ± s.e., best, sigma, seconds, then two "mean ± s.e." cells.
        #expect(row.components(separatedBy: "±").count == 4, "\(row)")
    }

    /// `meta-replay` rebuilds each generation's mean: a table of distances and drift features,
    /// and a drift file of one generation whose parameters are that generation's mean.
    @Test func metaReplayTabulatesTheGenerationsAndWritesOne() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try metaTrain(dir, "lpo.h5", environments: ["cartpole"], generations: 3, innerSteps: 2048, evalEpisodes: 4)
        let table = try DriftLabBinary.run(["meta-replay", path, "--every", "2", "--resolution", "21"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("3 generations replayed to the stored ES state, bit for bit"), "\(table.stdout)")
        let rows = table.stdout.split(separator: "\n").filter { $0.first == " " }
        // Generations 0, 2 and the last (3); the start is PPO, at distance 0 with no step.
        #expect(rows.map { Int($0.split(separator: " ")[0]) } == [0, 2, 3], "\(table.stdout)")
        #expect(rows[0].contains("0.0000         -"), "\(rows[0])")

        let json = try DriftLabBinary.run(["meta-replay", path, "--every", "1", "--resolution", "21", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(object.map { $0["generation"] as? Int } == [0, 1, 2, 3])
        let distances = object.compactMap { $0["distanceFromStart"] as? Double }
        // The search moved by the end (a generation whose members all score alike leaves it in place).
        #expect(distances.count == 4 && distances[0] == 0 && distances[3] > 0, "\(distances)")

        // The last generation's drift is the file's own drift (the current mean).
        let last = dir.appendingPathComponent("last.h5").path
        let start = dir.appendingPathComponent("start.h5").path
        #expect(try DriftLabBinary.run(["meta-replay", path, "--out", last]).status == 0)
        #expect(try DriftLabBinary.run(["meta-replay", path, "--generation", "0", "--out", start]).status == 0)
        func parameters(_ file: String) throws -> [Float] {
            try #require(try DriftFile.read(from: URL(fileURLWithPath: file)) as? NetworkDrift).parameters
        }
        #expect(try parameters(last) == parameters(path))
        #expect(try parameters(start) != parameters(path))
        // Generation 0 is the ES's starting point: exactly PPO (the output layer is zero).
        let diff = try DriftLabBinary.run(["drift", "diff", start, "ppo"])
        #expect(diff.status == 0 && diff.stdout.contains("L2 (RMS over the grid) 0, max |difference| 0,"), "\(diff.stdout)")

        for (args, needle) in [([path, "--generation", "4", "--out", start], "0...3"), ([path, "--generation", "1"], "--out"),
                               ([path, "--out", path], "meta-training file itself"), ([path, "--out", "x.txt"], "x.txt"),
                               ([path, "--every", "0"], "--every"), (["missing.h5"], "missing.h5")] {
            let result = try DriftLabBinary.run(["meta-replay"] + args, in: dir)
            #expect(result.status != 0 && result.stderr.contains(needle), "\(args): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    @Test func refusesFilesThatAreNotMetaTrainingRuns() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let drift = dir.appendingPathComponent("ppo.h5").path
        #expect(try DriftLabBinary.run(["drift", "save", "ppo", "--out", drift]).status == 0)
        for (args, needle) in [([drift], "ppo.h5"), (["missing.h5"], "missing.h5"), ([drift, "--every", "0"], "--every"),
                               ([drift, "--png", "x.gif"], "x.gif")] {
            let result = try DriftLabBinary.run(["meta-history"] + args, in: dir)
            #expect(result.status != 0 && result.stderr.contains(needle), "\(args): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }

    /// `meta-signal` prints the signal and noise of a run's ES gradient (text and JSON, the
    /// same numbers), leaves the file as it was, and names a bad option or file in one line.
    @Test func metaSignalMeasuresARunAndNamesBadInput() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lpo.h5").path
        // A learning rate high enough for r to leave 1 within 2048 steps, so the drift matters.
        let train = MetaTrainCommandTests().args.map { $0 == "2" ? "1" : $0 } + ["--set", "learningRate=0.01", "--out", path]
        #expect(try DriftLabBinary.run(train).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // Not a large sigma: with a bias-free tanh network, mean + s eps and mean - s eps are
        // nearly the same function once s eps dwarfs the mean (tanh is odd), so every pair
        // would score alike and the fraction would be 0/0.
        let probe = ["meta-signal", path, "--pairs", "2", "--repeats", "2", "--sigma", "0.3", "--workers", "2"]
        let text = try DriftLabBinary.run(probe + ["--quiet"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("signal fraction (ICC)") && text.stdout.contains("2 antithetic pairs at sigma 0.3000"), "\(text.stdout)")
        let json = try DriftLabBinary.run(probe + ["--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let differences = try #require(object["differences"] as? [[Double]])
        #expect(differences.count == 2 && differences.allSatisfy { $0.count == 2 })
        let fraction = try #require(object["signalFraction"] as? Double)
        #expect(text.stdout.contains(String(format: "signal fraction (ICC) %.3f", fraction)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // --cache keeps every inner run: a rerun prints the same without training, a partial
        // cache resumes to the same result, more repeats add to it, another probe is refused.
        let cache = dir.appendingPathComponent("signal.json").path
        let first = try DriftLabBinary.run(probe + ["--json", "--cache", cache])
        #expect(first.status == 0 && first.stdout == json.stdout, "\(first.stderr)")
        func recorded() throws -> [[Any]] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache))) as? [String: Any]
            return try #require(object?["returns"] as? [[Any]])
        }
        #expect(try recorded().map(\.count) == [4, 4])
        var edited = try String(contentsOfFile: cache, encoding: .utf8)
        let firstRun = try #require(edited.range(of: #"\[[-0-9.e]+\]"#, options: .regularExpression))
        edited.replaceSubrange(firstRun, with: "null")
        try edited.write(toFile: cache, atomically: true, encoding: .utf8)
        let resumed = try DriftLabBinary.run(probe + ["--json", "--cache", cache])
        #expect(resumed.stdout == json.stdout, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("inner runs 1/1"), "\(resumed.stderr)")
        let more = try DriftLabBinary.run(["meta-signal", path, "--pairs", "2", "--repeats", "3", "--sigma", "0.3", "--quiet", "--cache", cache])
        #expect(more.status == 0 && more.stdout.contains("2 antithetic pairs at sigma 0.3000, 3 repeats"), "\(more.stdout)")
        #expect(try recorded().map(\.count) == [4, 4, 4])
        let other = try DriftLabBinary.run(["meta-signal", path, "--pairs", "2", "--sigma", "0.25", "--cache", cache])
        #expect(other.status != 0 && other.stderr.contains("made for another probe (its sigma differ)"), "\(other.stderr)")
        try "{}".write(toFile: cache, atomically: true, encoding: .utf8)
        let broken = try DriftLabBinary.run(probe + ["--cache", cache])
        #expect(broken.status != 0 && broken.stderr.contains("is not a meta-signal cache"), "\(broken.stderr)")
        let drift = dir.appendingPathComponent("ppo.h5").path
        #expect(try DriftLabBinary.run(["drift", "save", "ppo", "--out", drift]).status == 0)
        for (bad, needle) in [([path, "--pairs", "1"], "--pairs"), ([path, "--repeats", "1"], "--repeats"),
                              ([path, "--sigma", "-1"], "--sigma"), ([path, "--workers", "0"], "--workers"),
                              (["missing.h5"], "missing.h5"), ([drift], "ppo.h5")] {
            let result = try DriftLabBinary.run(["meta-signal"] + bad, in: dir)
            #expect(result.status != 0 && result.stderr.contains(needle), "\(bad): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }
}
