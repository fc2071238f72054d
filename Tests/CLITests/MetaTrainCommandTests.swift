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
        let again = try DriftLabBinary.run(args + ["--out", path])
        #expect(again.status != 0 && again.stderr.contains("--resume"))
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
    @Test func showsTheFileGenerationsAsTableJSONAndPlot() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lpo.h5").path
        let train = try DriftLabBinary.run(["meta-train", "--env", "cartpole", "--drift", "lpo", "--generations", "3",
                                            "--population", "4", "--inner-steps", "2048", "--eval-episodes", "4",
                                            "--quiet", "--out", path])
        #expect(train.status == 0, "\(train.stderr)")
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
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let width = image[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = image[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > height && height > 100)

        let json = try DriftLabBinary.run(["meta-history", path, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [[String: Double]]]
        let generations = try #require(object?[path])
        #expect(generations.count == 3)
        for (g, row) in generations.enumerated() {
            let mine = fitness[(g * 4)..<(g * 4 + 4)]
            #expect(abs(row["mean"]! - mine.reduce(0, +) / 4) < 1e-9)
            #expect(row["max"] == mine.max() && row["generation"] == Double(g))
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
}
