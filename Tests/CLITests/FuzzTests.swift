import Foundation
import Storage
import Testing
import TestSupport

/// The fuzz suite (issue 15): every file type DriftLab reads — run, ES, drift, figure manifest,
/// notebook — is truncated, has bytes changed in its metadata and its data, and is edited
/// structurally (wrong shapes, dtypes and attribute types, missing groups, NaN parameters);
/// the reading commands of the real binary run on each mutant. Asserted: no signal exit, no
/// hang, and every failure is one line naming the file. Seeded, so every run tries the same
/// inputs; the tallies are printed.
@Suite struct FuzzTests {
    static let small = ["--set", "numEnvs=4", "--set", "rolloutSteps=16", "--set", "minibatches=2"]

    private func check(_ tally: Fuzz.Tally, _ label: String, minimum: Int) {
        print("fuzz \(label): \(tally)")
        #expect(tally.cases >= minimum, "\(label): \(tally.cases) cases")
        #expect(tally.crashes == 0 && tally.hangs == 0 && tally.unclear == 0, "\(label): \(tally)")
    }

    /// Byte mutants of `base`: truncations, and changes in the seal, the metadata and the data.
    private func byteMutants(of base: Data, truncations: Int, metadata: Int, data: Int, seed: UInt64) -> [Data] {
        var random = RandomText(seed: seed)
        var mutants = (0..<truncations).map { _ in Fuzz.truncated(base, &random) }
        mutants += (0..<4).map { _ in Fuzz.changed(base, in: 0..<64, &random) }
        mutants += (0..<metadata).map { _ in Fuzz.changed(base, in: 512..<4608, &random) }
        mutants += (0..<data).map { _ in Fuzz.changed(base, in: 4608..<base.count, &random) }
        return mutants
    }

    @Test func runFiles() throws {
        let dir = temporaryDirectory("fuzz-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.h5")
        let made = try DriftLabBinary.run(["train", "--env", "cartpole", "--drift", "dpo", "--steps", "256", "--out", base.path,
                                           "--set", "evalEpisodes=2", "--quiet"] + Self.small)
        try #require(made.status == 0, "\(made.stderr)")
        // The drift the base run was trained with, as a file: `runs repoint` rewrites mutants to name it.
        let driftFile = dir.appendingPathComponent("dpo.h5")
        try #require(try DriftLabBinary.run(["drift", "save", "dpo", "--out", driftFile.path]).status == 0)
        let contents = try HDF5File.open(base).root
        let actorCount = try contents.read("policy/actor_parameters", as: Float.self).values.count
        let edits: [[Fuzz.Edit]] = [
            [.remove("/policy")], [.remove("/curves")], [.remove("/curves/update")], [.remove("/config")], [.remove("/drift")],
            [.remove("/checkpoints")], [.remove("/policy"), .remove("/checkpoints")], [.remove("/@description_json")],
            [.attribute("/@description_json", "{")], [.attribute("/@description_json", 5)], [.attribute("/@status", 3)],
            [.attribute("/@description_json", #"{"env":"cartpole"}"#)],
            [.dataset("/policy/actor_parameters", [Float](repeating: .nan, count: actorCount), shape: [actorCount])],
            [.dataset("/policy/actor_parameters", [Float](repeating: .infinity, count: actorCount), shape: [actorCount])],
            [.dataset("/policy/actor_parameters", [Float](repeating: 0.1, count: actorCount / 2), shape: [actorCount / 2])],
            [.dataset("/policy/actor_parameters", [Int32](repeating: 1, count: actorCount), shape: [actorCount])],
            [.dataset("/policy/actor_parameters", [Float](repeating: 0.1, count: actorCount), shape: [1, actorCount])],
            [.dataset("/curves/episode_return", [Double](repeating: 1, count: 2), shape: [2])],
            [.dataset("/curves/update", [UInt8](repeating: 1, count: 4), shape: [4])],
            [.dataset("/checkpoints/latest/state_json", Array("not json".utf8), shape: [8])],
            [.dataset("/checkpoints/latest/parameters", [Float](repeating: .nan, count: 3), shape: [3])],
            [.attribute("/drift@kind", "nope")], [.attribute("/drift@alpha", Double.nan)], [.attribute("/drift@alpha", "x")],
            [.remove("/drift@beta")], [.attribute("/policy@update", "seven")],
            [.remove("/curves"), .dataset("/curves", [Double](repeating: 0, count: 4), shape: [4])],
            [.dataset("/policy/observation_mean", [Double](repeating: 0, count: 3), shape: [3])],
            [.attribute("/@description_json", #"{"convention":"gymnax","config":{"numEnvs":-1},"drift":"dpo","env":"cartpole","preset":"classic-control","seed":0}"#)],
        ]
        var mutants = byteMutants(of: try Data(contentsOf: base), truncations: 30, metadata: 35, data: 25, seed: 1)
            .map { bytes in { (url: URL) in try bytes.write(to: url) } }
        mutants += edits.map { edit in { (url: URL) in try Fuzz.rebuild(base, to: url, edit) } }
        var tally = Fuzz.Tally()
        for (k, make) in mutants.enumerated() {
            let file = dir.appendingPathComponent("mutant\(k).h5")
            try make(file)
            var commands = [["runs", "summary", file.path], ["eval", file.path, "--episodes", "2"]]
            if k % 5 == 0 || k >= mutants.count - edits.count {
                // Commands that rewrite the file run on copies.
                let rewriting: [(verb: String, args: [String], options: [String])] = [
                    ("compact", ["runs", "compact"], []), ("resume", ["train", "--quiet", "--resume"], []),
                    ("repoint", ["runs", "repoint"], ["--drift", driftFile.path])]
                for (verb, args, options) in rewriting {
                    let copy = dir.appendingPathComponent("mutant\(k)-\(verb).h5")
                    try? FileManager.default.removeItem(at: copy)
                    try FileManager.default.copyItem(at: file, to: copy)
                    commands.append(args + [copy.path] + options)
                }
            }
            for command in commands {
                tally.add(try Fuzz.judge(command, file: URL(fileURLWithPath: command.first { $0.hasSuffix(".h5") }!), in: dir),
                          "\(command.joined(separator: " ")) [mutant \(k)]")
            }
        }
        check(tally, "run files", minimum: 250)
    }

    @Test func esFiles() throws {
        let dir = temporaryDirectory("fuzz-es")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.h5")
        let made = try DriftLabBinary.run(["meta-train", "--env", "cartpole", "--drift", "lpo", "--generations", "2", "--population", "2",
                                           "--inner-steps", "128", "--eval-episodes", "2", "--workers", "1", "--out", base.path,
                                           "--quiet"] + Self.small)
        try #require(made.status == 0, "\(made.stderr)")
        let root = try HDF5File.open(base).root
        let kernel = try root.read("drift/layer_0/kernel", as: Float.self)
        let edits: [[Fuzz.Edit]] = [
            [.dataset("/es/history/generation", [Int64(0)], shape: [1])],
            [.dataset("/es/history/fitness", [Double](repeating: 1, count: 3), shape: [3])],
            [.dataset("/es/history/sigma", [Double](repeating: 1, count: 5), shape: [5])],
            [.remove("/es/state")], [.remove("/es/history")], [.remove("/es/history/lr")],
            [.dataset("/es/state/state_json", Array("{}".utf8), shape: [2])],
            [.attribute("/es@description_json", "[]")], [.attribute("/es@description_json", 1.5)],
            [.dataset("/drift/layer_0/kernel", [Float](repeating: .nan, count: kernel.values.count), shape: kernel.shape)],
            [.dataset("/drift/layer_0/kernel", [Float](repeating: 0, count: 9), shape: [3, 3])],
            [.dataset("/drift/layer_0/kernel", [Double](repeating: 0, count: kernel.values.count), shape: kernel.shape)],
            [.attribute("/drift@layers", 1_000_000)], [.attribute("/drift@layers", -1)], [.attribute("/drift@ppo_eps", -1.0)],
            [.attribute("/drift@features", ["x"])], [.attribute("/drift@activation", 3)], [.remove("/drift/layer_1")],
            [.attribute("/drift@xi", Double.nan)], [.dataset("/drift/layer_0/bias", [Float](repeating: 0, count: 2), shape: [2])],
        ]
        var mutants = byteMutants(of: try Data(contentsOf: base), truncations: 15, metadata: 20, data: 15, seed: 2)
            .map { bytes in { (url: URL) in try bytes.write(to: url) } }
        mutants += edits.map { edit in { (url: URL) in try Fuzz.rebuild(base, to: url, edit) } }
        var tally = Fuzz.Tally()
        for (k, make) in mutants.enumerated() {
            let file = dir.appendingPathComponent("mutant\(k).h5")
            try make(file)
            var commands = [["drift", "check", file.path, "--resolution", "11"], ["drift", "features", file.path, "--resolution", "11"]]
            if k % 3 == 0 || k >= mutants.count - edits.count {
                let copy = dir.appendingPathComponent("mutant\(k)-resume.h5")
                try? FileManager.default.removeItem(at: copy)
                try FileManager.default.copyItem(at: file, to: copy)
                commands.append(["meta-train", "--resume", copy.path, "--quiet", "--workers", "1"])
            }
            for command in commands {
                tally.add(try Fuzz.judge(command, file: URL(fileURLWithPath: command.first { $0.hasSuffix(".h5") }!), in: dir),
                          "\(command.joined(separator: " ")) [mutant \(k)]")
            }
        }
        check(tally, "ES files", minimum: 120)
    }

    @Test func driftFiles() throws {
        let dir = temporaryDirectory("fuzz-drift")
        defer { try? FileManager.default.removeItem(at: dir) }
        var tally = Fuzz.Tally()
        for (spec, seed) in [("lpo:init=random,seed=3", UInt64(3)), ("dpo", 4), ("ppo", 5)] {
            let base = dir.appendingPathComponent("base-\(seed).h5")
            let made = try DriftLabBinary.run(["drift", "save", spec, "--out", base.path])
            try #require(made.status == 0, "\(made.stderr)")
            var edits: [[Fuzz.Edit]] = [[.remove("/drift")], [.remove("/drift@kind")], [.attribute("/drift@kind", 1)],
                                        [.attribute("/drift@kind", "ta-lpo")], [.attribute("/drift@ppo_eps", -1.0)],
                                        [.attribute("/drift@ppo_eps", 2.0)], [.attribute("/drift@alpha", -1.0)],
                                        [.attribute("/drift@beta", Double.infinity)]]
            if spec.hasPrefix("lpo") {
                edits += [[.dataset("/drift/layer_0/kernel", [Float](repeating: .nan, count: 8 * 128), shape: [8, 128])],
                          [.dataset("/drift/layer_0/kernel", [Float](repeating: .infinity, count: 8 * 128), shape: [8, 128])],
                          [.dataset("/drift/layer_1/bias", [Float](repeating: .nan, count: 128), shape: [128])],
                          [.dataset("/drift/layer_0/kernel", [Float](repeating: 0, count: 8), shape: [8])],
                          [.remove("/drift/layer_2")], [.attribute("/drift@layers", 0)], [.attribute("/drift@features", 7)]]
            }
            let bytes = try Data(contentsOf: base)
            var mutants = byteMutants(of: bytes, truncations: 10, metadata: 12, data: spec.hasPrefix("lpo") ? 12 : 0, seed: seed)
                .map { bytes in { (url: URL) in try bytes.write(to: url) } }
            mutants += edits.map { edit in { (url: URL) in try Fuzz.rebuild(base, to: url, edit) } }
            for (k, make) in mutants.enumerated() {
                let file = dir.appendingPathComponent("mutant\(seed)-\(k).h5")
                try make(file)
                var commands = [["drift", "check", file.path, "--resolution", "11"]]
                if k % 2 == 0 { commands.append(["drift", "diff", file.path, "dpo", "--resolution", "11"]) }
                for command in commands {
                    tally.add(try Fuzz.judge(command, file: file, in: dir), "\(command.joined(separator: " "))")
                }
            }
        }
        check(tally, "drift files", minimum: 100)
    }

    @Test func figureManifests() throws {
        let dir = temporaryDirectory("fuzz-manifest")
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = #"""
        {"figures": [{"number": 1, "title": "PPO", "kind": "map", "drift": "ppo"},
                     {"number": 4, "title": "entropy", "kind": "curves", "curve": "entropy", "yLabel": "entropy",
                      "panels": [{"title": "Ant", "series": [{"label": "PPO", "color": "ppo", "runs": "runs/*.h5"}]}]}]}
        """#
        let base = Data(manifest.utf8)
        var random = RandomText(seed: 6)
        var mutants: [Data] = (0..<15).map { _ in Fuzz.truncated(base, &random) }
        mutants += (0..<20).map { _ in Fuzz.changed(base, in: 0..<base.count, &random) }
        mutants += ["", "[]", "{}", #"{"figures": 3}"#, #"{"figures": [{"number": 1}]}"#,
                    #"{"figures": [{"number": 1, "title": "t", "kind": "map", "drift": "nope:"}]}"#,
                    #"{"figures": [{"number": 1, "title": "t", "kind": "map", "drift": "missing.h5"}]}"#,
                    #"{"figures": [{"number": 1, "title": "t", "kind": "curves"}]}"#,
                    #"{"figures": [{"number": 1, "title": "t", "kind": "curves", "panels": []}]}"#,
                    #"{"figures": [{"number": 1, "title": "t", "kind": "pie"}]}"#,
                    #"{"figures": [{"number": 2, "title": "t", "kind": "map", "drift": "ppo"}]}"#].map { Data($0.utf8) }
        var tally = Fuzz.Tally()
        for (k, bytes) in mutants.enumerated() {
            let folder = dir.appendingPathComponent("m\(k)/data")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("figures-\(k).json")
            try bytes.write(to: file)
            tally.add(try Fuzz.judge(["figure", "1", "--manifest", file.path, "--out-dir", folder.appendingPathComponent("out").path,
                                      "--map-resolution", "8"], file: file, in: dir), "manifest mutant \(k)")
        }
        check(tally, "manifests", minimum: 40)
    }

    @Test func notebooks() throws {
        let dir = temporaryDirectory("fuzz-notebook")
        defer { try? FileManager.default.removeItem(at: dir) }
        let notebook = """
        # Checks

        ```driftlab
        drift check dpo --resolution 11
        ```

        <!-- driftlab-output -->
        ```text
        old
        ```
        <!-- /driftlab-output -->

        Prose between the blocks.

        ```driftlab
        env list
        ```

        """
        let base = Data(notebook.utf8)
        var random = RandomText(seed: 7)
        var mutants: [Data] = (0..<12).map { _ in Fuzz.truncated(base, &random) }
        mutants += (0..<16).map { _ in Fuzz.changed(base, in: 0..<base.count, &random) }
        let structural = [
            notebook.replacingOccurrences(of: "<!-- /driftlab-output -->\n", with: ""),
            notebook.replacingOccurrences(of: "<!-- driftlab-output -->\n", with: ""),
            notebook + "<!-- driftlab-output -->\n",
            notebook + "<!-- /driftlab-output -->\n",
            notebook + "```driftlab\ndrift check dpo\n",
            notebook + "```driftlab\ndrift check 'dpo\n```\n",
            notebook + "```driftlab\nnotebook check SELF\n```\n",
            notebook + "```driftlab\ndrift check " + String(repeating: "x", count: 1_100_000) + "\n```\n",
            notebook + "```sh exec\necho hi\n```\n",
            String(repeating: "```driftlab\n", count: 50),
            "\u{FEFF}" + notebook,
        ]
        mutants += structural.map { Data($0.utf8) }
        mutants.append(Data([0xFF, 0xFE, 0x00, 0x41]))
        var tally = Fuzz.Tally()
        for (k, bytes) in mutants.enumerated() {
            let file = dir.appendingPathComponent("nb\(k).md")
            let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "SELF", with: file.lastPathComponent)
            try (String(data: bytes, encoding: .utf8) == nil ? bytes : Data(text.utf8)).write(to: file)
            tally.add(try Fuzz.judge(["notebook", "check", file.path], file: file, in: dir), "notebook mutant \(k)")
        }
        check(tally, "notebooks", minimum: 40)
    }
}
