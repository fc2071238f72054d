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
