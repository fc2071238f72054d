import Foundation
import Testing
import TestSupport

@Suite struct DriftCommandTests {
    @Test func mapWritesTheDocumentedCSV() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("dpo.csv").path
        let result = try DriftLabBinary.run(["drift", "map", "dpo", "--csv", csv, "--resolution", "5",
                                             "--log-r-range", "-1,1", "--A-range", "-4,4"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "r,A,f,dobj_dr")
        #expect(lines.count == 1 + 25)
        // First row: log r = -1, A = -4: DPO rollback region, dObj/dr = A - (A/r) tanh^2(A log r / beta)
        // = -4 + 4e tanh^2(4/0.6) = 6.8731 (tanh(6.67) ~ 1).
        let first = lines[1].split(separator: ",").compactMap { Double($0) }
        #expect(first.count == 4)
        #expect(abs(first[0] - exp(-1)) < 1e-6 && first[1] == -4)
        #expect(abs(first[3] - (-4 + 4 * M_E * pow(tanh(4 / 0.6), 2))) < 1e-3)
    }

    @Test func checkPassesForBuiltInDrifts() throws {
        for spec in ["ppo", "ppo:eps=0.3", "dpo", "lpo:init=random,seed=3", "lpo-zero:init=random,seed=1"] {
            let result = try DriftLabBinary.run(["drift", "check", spec, "--resolution", "41"])
            #expect(result.status == 0, "\(spec): \(result.stdout) \(result.stderr)")
            #expect(result.stdout.contains("valid Mirror-Learning drift"))
        }
    }

    @Test(arguments: [
        (["drift", "map", "trpo", "--csv", "/tmp/x.csv"], "unknown drift 'trpo'"),
        (["drift", "map", "dpo", "--csv", "/tmp/x.csv", "--log-r-range", "1,-1"], "--log-r-range"),
        (["drift", "map", "dpo", "--csv", "/tmp/x.csv", "--A-range", "a,b"], "--A-range"),
        (["drift", "check", "ppo:eps=7"], "eps"),
        (["drift", "check", "/nonexistent/drift.h5"], "/nonexistent/drift.h5"),
    ])
    func badInputGivesAOneLineError(args: [String], mention: String) throws {
        let result = try DriftLabBinary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "stderr: \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }
}
