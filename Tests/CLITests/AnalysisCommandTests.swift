import Analysis
import Foundation
import Plotting
import Testing
import TestSupport

@Suite struct AnalysisCommandTests {
    func json(_ args: [String]) throws -> [String: Any] {
        let result = try DriftLabBinary.run(args)
        #expect(result.status == 0, "\(args): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func fitRecoversDPOConstants() throws {
        for (spec, alpha, beta) in [("dpo", 2.0, 0.6), ("dpo:alpha=1.5,beta=0.8", 1.5, 0.8)] {
            let object = try json(["drift", "fit", spec, "--resolution", "101", "--json"])
            let a = try #require(object["alpha"] as? Double), b = try #require(object["beta"] as? Double)
            #expect(abs(a / alpha - 1) < 1e-3 && abs(b / beta - 1) < 1e-3, "\(spec): \(a), \(b)")
            #expect(object["rmse"] is Double && object["r2"] is Double)
        }
    }

    @Test func diffOfADriftWithItselfIsZero() throws {
        let object = try json(["drift", "diff", "dpo", "dpo", "--resolution", "41", "--json"])
        #expect(object["l2"] as? Double == 0 && object["max_abs"] as? Double == 0)
        #expect(object["sign_agreement"] as? Double == 1)
    }

    @Test func diffAndFitDrawTheirMaps() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (args, name) in [(["drift", "diff", "ppo", "dpo", "--resolution", "41"], "diff.png"),
                             (["drift", "fit", "ppo", "--resolution", "41"], "fit.png")] {
            let path = dir.appendingPathComponent(name).path
            let result = try DriftLabBinary.run(args + ["--png", path])
            #expect(result.status == 0, "\(result.stderr)")
            let image = try PNGImage(contentsOf: path)
            #expect(image.width > 1000 && image.height > 600)
        }
    }

    @Test func featuresSayRollbackForDPOOnly() throws {
        let dpo = try json(["drift", "features", "dpo", "--json"])
        let ppo = try json(["drift", "features", "ppo", "--json"])
        #expect((dpo["rollback"] as? [String: Any])?["present"] as? Bool == true)
        #expect((ppo["rollback"] as? [String: Any])?["present"] as? Bool == false)
        for key in ["rollback", "pull_back", "cautious_optimism", "asymmetry"] {
            #expect((dpo[key] as? [String: Any])?["score"] is Double, "\(key)")
        }
    }

    @Test func importNpyThenCheck() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("params.npy"), out = dir.appendingPathComponent("lpo.h5")
        var rng = testStream(8)
        try NumpyArray.encode((0..<1152).map { _ in rng.uniform(Float(-0.2), Float(0.2)) }, shape: [1152]).write(to: npy)
        let result = try DriftLabBinary.run(["drift", "import-npy", npy.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let check = try DriftLabBinary.run(["drift", "check", out.path, "--resolution", "21"])
        #expect(check.status == 0 && check.stdout.contains("valid Mirror-Learning drift"))
    }

    @Test(arguments: [
        (["drift", "fit", "nope"], "unknown drift 'nope'"),
        (["drift", "import-npy", "/nonexistent/p.npy", "--out", "/tmp/x.h5"], "/nonexistent/p.npy"),
        (["drift", "slices", "dpo", "--A", "1,x", "--csv", "/tmp/x.csv"], "--A"),
        (["runs", "summary", "/nonexistent/run.h5"], "/nonexistent/run.h5"),
    ])
    func badInputGivesAClearError(args: [String], mention: String) throws {
        let result = try DriftLabBinary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }
}
