import Foundation
import Storage
import Testing
import TestSupport

@Suite struct TrainCommandTests {
    let small = ["--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2", "--set", "evalEpisodes=3",
                 "--steps", "256"]

    @Test func trainThenEvalThenResume() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run.h5").path
        let train = try DriftLabBinary.run(["train", "--env", "cartpole", "--drift", "dpo", "--seed", "3", "--out", path] + small)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stdout.contains("done: eval return"))
        let root = try HDF5File.open(URL(fileURLWithPath: path)).root
        #expect(try root.attribute("status", as: String.self) == "complete")
        #expect(try root.read("curves/env_steps", as: Double.self).values == [64, 128, 192, 256])
        #expect(try root.attribute("command", as: String.self).contains("train --env cartpole"))

        let eval = try DriftLabBinary.run(["eval", path, "--episodes", "5", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        #expect(object["episodes"] as? Int == 5)
        #expect(object["mean_return"] is Double && object["stderr_return"] is Double)

        // Resuming a finished run changes nothing and succeeds.
        let resume = try DriftLabBinary.run(["train", "--resume", path, "--quiet"])
        #expect(resume.status == 0, "\(resume.stderr)")
    }

    @Test func trainsAMuJoCoTaskWithItsBraxPresetAndResumesFromACheckpoint() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hopper.h5").path
        // brax-hopper with small networks, so that the debug build stays quick.
        let tiny = ["--set", "actorHidden=16", "--set", "criticHidden=16", "--set", "minibatches=4", "--set", "evalEpisodes=2"]
        let first = try DriftLabBinary.run(["train", "--env", "hopper", "--drift", "ppo", "--seed", "1", "--out", path,
                                            "--set", "numEnvs=8", "--set", "rolloutSteps=16", "--steps", "512", "--quiet"] + tiny)
        #expect(first.status == 0, "\(first.stderr)")
        let root = try HDF5File.open(URL(fileURLWithPath: path)).root
        #expect(try root.attribute("status", as: String.self) == "complete")
        let config = try root.group("config")
        #expect(try config.attribute("gamma", as: Double.self) == 0.97, "brax-hopper uses walker2d's row")
        #expect(try config.attribute("epochs", as: Int.self) == 8)
        #expect(try root.read("curves/env_steps", as: Double.self).values.last == 512)
        let summary = try DriftLabBinary.run(["runs", "summary", path, "--curve", "eval_return"])
        #expect(summary.status == 0 && summary.stdout.contains("hopper"), "\(summary.stderr)")
    }

    @Test func seedsRunInParallelIntoAFolder() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("runs").path
        let result = try DriftLabBinary.run(["train", "--env", "cartpole", "--seeds", "0-2", "--out-dir", out] + small)
        #expect(result.status == 0, "\(result.stderr)")
        for seed in 0...2 {
            let root = try HDF5File.open(URL(fileURLWithPath: "\(out)/\(seed).h5")).root
            #expect(try root.attribute("seed", as: Int.self) == seed)
        }
        #expect(result.stdout.contains("eval return over 3 seeds"))

        // Compacted finished seeds are read back, not retrained, when the sweep runs again;
        // their policies still evaluate.
        let compact = try DriftLabBinary.run(["runs", "compact", "\(out)/0.h5", "\(out)/1.h5"])
        #expect(compact.status == 0 && compact.stdout.contains("0.h5:") && compact.stdout.contains("MB ->"), "\(compact.stderr)")
        let again = try DriftLabBinary.run(["runs", "compact", "\(out)/0.h5"])
        #expect(again.stdout.contains("already compact"))
        let rerun = try DriftLabBinary.run(["train", "--env", "cartpole", "--seeds", "0-2", "--out-dir", out] + small)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdout.contains("seed 0: 4 updates") && rerun.stdout.contains("seed 2: 4 updates"), "\(rerun.stdout)")
        let eval = try DriftLabBinary.run(["eval", "\(out)/0.h5", "--episodes", "3"])
        #expect(eval.status == 0 && eval.stdout.contains("update 4"), "\(eval.stderr)")
        let resume = try DriftLabBinary.run(["train", "--resume", "\(out)/0.h5"])
        #expect(resume.status != 0 && resume.stderr.contains("compacted"), "\(resume.stderr)")
    }

    @Test(arguments: [
        (["train", "--env", "pong", "--out", "/tmp/x.h5"], "unknown environment 'pong'"),
        (["train", "--env", "cartpole", "--preset", "atari", "--out", "/tmp/x.h5"], "unknown preset 'atari'"),
        (["train", "--env", "cartpole", "--set", "learningRat=1", "--out", "/tmp/x.h5"], "unknown field 'learningRat'"),
        (["train", "--env", "cartpole", "--set", "numEnvs=0", "--out", "/tmp/x.h5"], "numEnvs"),
        (["train", "--env", "cartpole", "--drift", "trpo", "--out", "/tmp/x.h5"], "unknown drift 'trpo'"),
        (["train", "--env", "cartpole"], "--out"),
        (["train", "--resume", "/nonexistent/run.h5"], "/nonexistent/run.h5"),
        (["eval", "/nonexistent/run.h5"], "/nonexistent/run.h5"),
    ])
    func badInputGivesAClearError(args: [String], mention: String) throws {
        let result = try DriftLabBinary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func evalRejectsAFileThatIsNotARun() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("drift.h5").path
        #expect(try DriftLabBinary.run(["drift", "save", "dpo", "--out", path]).status == 0)
        let result = try DriftLabBinary.run(["eval", path])
        #expect(result.status != 0 && result.stderr.contains("not a DriftLab run file"), "\(result.stderr)")
    }
}
