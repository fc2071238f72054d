import Analysis
import Drifts
import Foundation
import Plotting
import Storage
import Testing
import TestSupport
import Training

/// Synthetic run files for the `runs` and `plot` commands: curves chosen by the test, no training.
enum RunFixture {
    /// Writes a complete (or running) run of `env` with `drift` whose episode_return is `returns`,
    /// one update per value, 100 environment steps each.
    static func write(_ path: URL, env: String, drift: String, seed: UInt64 = 0, returns: [Double],
                      eval: [Double]? = nil, complete: Bool = true) throws {
        let curves = returns.enumerated().map { i, value in
            var m = UpdateMetrics(curveValues: ["update": Double(i + 1), "env_steps": Double(100 * (i + 1)),
                                                "episode_return": value, "episodes_finished": 1, "entropy": 0.5 - 0.01 * Double(i)])
            m.evalReturn = eval?[i] ?? .nan
            return m
        }
        let description = RunDescription(env: env, drift: drift, preset: "classic-control", seed: seed, convention: "gymnax",
                                         config: TrainingConfig())
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        let made: any Drift = drift.hasPrefix("dpo") ? DPODrift() : PPODrift()
        try RunFile.write(to: path, description: description, drift: made, curves: curves, checkpoint: nil,
                          complete: complete, provenance: ["driftlab_version": "test"])
    }

    /// Two tasks (cartpole, acrobot) x two drifts (ppo, dpo) x three seeds, in `dir/<env>-<drift>/<seed>.h5`.
    /// Final returns: ppo cartpole 10 20 30, dpo cartpole 40 50 60; ppo acrobot -300 -200 -100, dpo acrobot -250 -150 -50.
    static func grid(in dir: URL) throws {
        for (env, base) in [("cartpole", 10.0), ("acrobot", -300.0)] {
            for (drift, shift) in [("ppo", 0.0), ("dpo", env == "cartpole" ? 30.0 : 50.0)] {
                for seed in 0..<3 {
                    let step = env == "cartpole" ? 10.0 : 100.0
                    let final = base + shift + step * Double(seed)
                    try write(dir.appendingPathComponent("\(env)-\(drift)/\(seed).h5"), env: env, drift: drift, seed: UInt64(seed),
                              returns: [final / 2, final / 2, final])
                }
            }
        }
    }
}

@Suite struct RunsCompareTests {
    func json(_ args: [String], in directory: URL? = nil) throws -> [String: Any] {
        let result = try DriftLabBinary.run(args, in: directory)
        #expect(result.status == 0, "\(args): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func groupsByTaskAndLabelAndReportsRliableStatistics() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        // final-return over the last 1 of 3 updates (fraction 0.2 rounds to one update).
        let object = try json(["runs", "compare", dir.path, "--final-fraction", "0.2", "--reps", "500", "--json",
                               "--normalize", "ranges", "--range", "cartpole=0:100", "--range", "acrobot=-500:0"])
        let scores = try #require(object["scores"] as? [String: [String: [Double]]])
        #expect(scores["ppo"]?["cartpole"] == [0.1, 0.2, 0.3])
        #expect(scores["dpo"]?["acrobot"] == [0.5, 0.7, 0.9])
        let raw = try #require(object["raw_scores"] as? [String: [String: [Double]]])
        #expect(raw["dpo"]?["cartpole"] == [40, 50, 60])
        let aggregate = try #require(object["aggregate"] as? [String: [String: Any]])
        // dpo normalised: cartpole 0.4 0.5 0.6, acrobot 0.5 0.7 0.9; IQM cuts one at each end of
        // 0.4 0.5 0.5 0.6 0.7 0.9: mean(0.5, 0.5, 0.6, 0.7) = 0.575. Mean of task means (0.5 + 0.7) / 2 = 0.6.
        let dpo = try #require(aggregate["dpo"])
        #expect(abs((dpo["iqm"] as? Double ?? 0) - 0.575) < 1e-12)
        #expect(abs((dpo["mean"] as? Double ?? 0) - 0.6) < 1e-12)
        #expect(abs((dpo["optimality_gap"] as? Double ?? 0) - 0.4) < 1e-12)
        for key in ["iqm_ci", "median_ci", "mean_ci", "optimality_gap_ci"] {
            let ci = try #require(dpo[key] as? [Double], "\(key)")
            #expect(ci.count == 2 && ci[0] <= ci[1])
        }
        // P(dpo > ppo): cartpole all 9 pairs won; acrobot dpo -250 -150 -50 vs ppo -300 -200 -100:
        // wins 1 + 2 + 3 = 6 of 9. Mean (1 + 6/9) / 2 = 5/6.
        let poi = try #require(object["probability_of_improvement"] as? [[String: Any]])
        let pair = try #require(poi.first { $0["x"] as? String == "dpo" && $0["y"] as? String == "ppo" })
        #expect(abs((pair["p"] as? Double ?? 0) - 5.0 / 6) < 1e-12)
        #expect((pair["ci"] as? [Double])?.count == 2)
        let perTask = try #require(object["per_task"] as? [String: [String: [String: Any]]])
        #expect(perTask["ppo"]?["cartpole"]?["mean"] as? Double == 20)
        #expect(perTask["ppo"]?["cartpole"]?["runs"] as? Int == 3)
    }

    @Test func theSeedFixesTheIntervalsAndLabelsComeFromArguments() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let args = ["runs", "compare", "A=\(dir.path)/cartpole-ppo/*.h5", "B=\(dir.path)/cartpole-dpo", "--reps", "300", "--json"]
        let first = try json(args + ["--seed", "4"]), second = try json(args + ["--seed", "4"]), third = try json(args + ["--seed", "5"])
        let ci = { (o: [String: Any]) in ((o["aggregate"] as? [String: [String: Any]])?["A"]?["iqm_ci"] as? [Double]) ?? [] }
        #expect(ci(first) == ci(second) && ci(first) != ci(third))
        #expect((first["scores"] as? [String: Any])?.keys.sorted() == ["A", "B"])
    }

    @Test func drawsTheComparisonFigure() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let png = dir.appendingPathComponent("compare.png").path
        let result = try DriftLabBinary.run(["runs", "compare", dir.path, "--reps", "200", "--normalize", "reference",
                                             "--reference", "ppo", "--baseline", "acrobot=-500", "--png", png])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try PNGImage(contentsOf: png)
        #expect(image.width == 3600 && image.height > 1200)
        // The IQM panel (top left) holds a green DPO bar and a blue PPO bar.
        var green = 0, blue = 0
        for y in stride(from: 0, to: image.height / 2, by: 3) {
            for x in stride(from: 0, to: image.width / 3, by: 3) {
                let c = image.pixel(x: x, y: y)
                if c.green > 0.55 && c.red < 0.5 && c.blue < 0.5 { green += 1 }
                if c.blue > 0.6 && c.red < 0.5 && c.green < 0.65 { blue += 1 }
            }
        }
        #expect(green > 100 && blue > 100, "green \(green), blue \(blue)")
    }

    @Test func worksOnTheShippedMinAtarRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let object = try json(["runs", "compare", "data/runs/minatar", "--reps", "100", "--json"], in: root)
        let scores = try #require(object["scores"] as? [String: [String: [Double]]])
        #expect(scores.keys.sorted() == ["dpo", "lpo", "ppo"])
        #expect(scores["dpo"]?.keys.sorted() == ["asterix", "breakout", "freeway", "space-invaders"])
        // Every game has at least three complete seeds per drift, and no more than the sweep's ten
        // (the Figure 7 sweep adds seeds while it runs).
        #expect(scores.values.allSatisfy { $0.values.allSatisfy { (3...10).contains($0.count) } }, "\(scores)")
    }

    @Test(arguments: [
        (["--reps", "0"], "--reps"),
        (["--final-fraction", "nan"], "--final-fraction"),
        (["--final-fraction", "1.5"], "--final-fraction"),
        (["--normalize", "ranges", "--range", "cartpole=1:0"], "cartpole=1:0"),
        (["--normalize", "ranges", "--range", "cartpole=0:inf"], "cartpole=0:inf"),
        (["--normalize", "ranges", "--range", "cartpole=0:10"], "acrobot"),
        (["--normalize", "reference"], "--reference"),
        (["--normalize", "reference", "--reference", "trpo"], "trpo"),
        (["--range", "cartpole=0:10"], "--normalize"),
        (["--normalize", "reference", "--reference", "ppo", "--range", "cartpole=0:10"], "--range needs --normalize ranges"),
        (["--normalize", "reference", "--reference", "ppo", "--baseline", "cartpole=x"], "--baseline 'cartpole=x'"),
        (["--normalize", "reference", "--reference", "ppo", "--baseline", "cartpole=nan"], "--baseline 'cartpole=nan'"),
        (["--baseline", "cartpole=1"], "--normalize reference"),
        (["--normalize", "reference", "--reference", "ppo", "--baseline", "acrobot=0"], "--baseline acrobot=SCORE"),
        (["--png", "out.jpg"], "out.jpg"),
        (["--metric", "final-eval"], "eval_return"),
    ])
    func badOptionsNameThemselves(options: [String], mention: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let result = try DriftLabBinary.run(["runs", "compare", dir.path] + options)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }

    @Test func anArgumentMatchingNothingIsNamed() throws {
        let result = try DriftLabBinary.run(["runs", "compare", "/nonexistent/*.h5"])
        #expect(result.status != 0 && result.stderr.contains("/nonexistent/*.h5"), "\(result.stderr)")
    }
}

@Suite struct RunsSummaryTests {
    @Test func groupsByEnvAndLabelInsteadOfPooling() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let result = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-dpo", "\(dir.path)/cartpole-ppo",
                                             "\(dir.path)/acrobot-ppo", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        // Three groups, in argument order, at the end (300 steps): dpo 40 50 60, ppo 10 20 30, acrobot -300 -200 -100.
        #expect(rows.map { "\($0["env"] as? String ?? ""), \($0["label"] as? String ?? "")" }
                == ["cartpole, dpo", "cartpole, ppo", "acrobot, ppo"])
        #expect(rows.map { $0["mean"] as? Double } == [50, 20, -200])
        #expect(rows.allSatisfy { $0["curve"] as? String == "episode_return" && $0["runs"] as? Int == 3 && $0["env_steps"] as? Double == 300 })
        // s.e. of 40 50 60: s.d. 10 over sqrt(3).
        #expect(abs((rows[0]["stderr"] as? Double ?? 0) - 10 / 3.0.squareRoot()) < 1e-9)
        let text = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-dpo", "\(dir.path)/cartpole-ppo"])
        #expect(text.stdout == "cartpole, dpo: episode_return at 300 steps: 50.000 ± 5.774 (s.e., 3 runs)\n"
                + "cartpole, ppo: episode_return at 300 steps: 20.000 ± 5.774 (s.e., 3 runs)\n")
    }

    /// A folder a sweep is still filling: the unfinished seed is left out with a note (its
    /// curve stops short), unless --include-running; only unfinished runs is an error.
    @Test func leavesOutUnfinishedRunsUnlessAsked() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let running = dir.appendingPathComponent("cartpole-ppo/3.h5")
        try RunFixture.write(running, env: "cartpole", drift: "ppo", seed: 3, returns: [100, 200, 300], complete: false)
        let result = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-ppo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "cartpole, ppo: episode_return at 300 steps: 20.000 ± 5.774 (s.e., 3 runs)\n", "\(result.stdout)")
        #expect(result.stderr.contains("left out 1 unfinished run") && result.stderr.contains("cartpole-ppo/3.h5"), "\(result.stderr)")
        let all = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-ppo", "--include-running"])
        #expect(all.stdout.contains("(s.e., 4 runs)"), "\(all.stdout)")
        let only = try DriftLabBinary.run(["runs", "summary", running.path])
        #expect(only.status != 0 && only.stderr.contains("none of the selected runs has finished"), "\(only.stderr)")
    }

    @Test func aStepBeyondARunsEndNamesTheRunAndItsLength() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        // Within one update (100 steps) of the end is the end; further is an error.
        let near = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-ppo", "--at", "350"])
        #expect(near.status == 0 && near.stdout.contains("at 300 steps"), "\(near.stderr)")
        let far = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-ppo", "--at", "5e6"])
        #expect(far.status != 0)
        #expect(far.stderr.contains("cartpole-ppo/0.h5") && far.stderr.contains("beyond the run's end at 300 steps (3 updates)"), "\(far.stderr)")
    }

    @Test(arguments: [
        (["--at", ""], "--at ''"),
        (["--at", "1,,2"], "--at '1,,2'"),
        (["--at", "inf"], "--at 'inf'"),
        (["--window", "inf"], "--window"),
        (["--window", "-1"], "--window"),
        (["--curve", "reward"], "unknown curve 'reward'"),
    ])
    func badOptionsNameThemselves(options: [String], mention: String) throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let result = try DriftLabBinary.run(["runs", "summary", "\(dir.path)/cartpole-ppo"] + options)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }
}

@Suite struct RunsExportTests {
    /// Splits a CSV line on commas, honouring RFC 4180 quotes.
    func fields(_ line: Substring) -> [String] {
        var result: [String] = [], current = "", quoted = false
        var iterator = Array(line)[...]
        while let c = iterator.popFirst() {
            if quoted {
                if c == "\"" {
                    if iterator.first == "\"" { current.append("\""); iterator.removeFirst() } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { result.append(current); current = "" } else { current.append(c) }
        }
        return result + [current]
    }

    @Test func csvAndJSONRoundTripTheHDF5Curves() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a/0.h5"), b = dir.appendingPathComponent("b/7.h5")
        try RunFixture.write(a, env: "cartpole", drift: "ppo", seed: 0, returns: [1.5, .nan, 1.0 / 3], eval: [.nan, 2.25, .nan])
        try RunFixture.write(b, env: "acrobot", drift: "dpo", seed: 7, returns: [-500, -0.1])
        let csv = dir.appendingPathComponent("runs.csv").path, json = dir.appendingPathComponent("runs.json").path
        let result = try DriftLabBinary.run(["runs", "export", a.path, "odd,\"label\"=\(b.path)", "--csv", csv, "--json", json])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote 5 rows of 2 runs"))

        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        let header = fields(lines[0])
        #expect(Array(header.prefix(7)) == ["run", "env", "label", "seed", "preset", "update", "env_steps"])
        #expect(lines.count == 6)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        #expect(objects.count == 5)

        var row = 1
        for (url, label) in [(a, "ppo"), (b, "odd,\"label\"")] {
            let run = try RunFile.read(from: url)
            for metrics in run.curves {
                let values = fields(lines[row])
                let object = objects[row - 1]
                #expect(values[0] == url.path && values[1] == run.description.env && values[2] == label)
                #expect(object["run"] as? String == url.path && object["label"] as? String == label)
                #expect(values[3] == "\(run.description.seed)" && object["seed"] as? Int == Int(run.description.seed))
                #expect(values[5] == "\(metrics.update)" && values[6] == "\(metrics.envSteps)")
                for curve in UpdateMetrics.curves {
                    let expected = curve.value(metrics)
                    let column = try #require(header.firstIndex(of: curve.name), "\(curve.name)")
                    let csvValue = Double(values[column])
                    let jsonValue = object[curve.name] as? Double
                    if expected.isFinite {
                        #expect(csvValue == expected && jsonValue == expected, "\(curve.name) at update \(metrics.update)")
                    } else {
                        #expect(values[column].isEmpty && object[curve.name] is NSNull, "\(curve.name) at update \(metrics.update)")
                    }
                }
                row += 1
            }
        }
    }

    @Test func configBooleansAreStoredAsIntegers() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run.h5")
        try RunFixture.write(path, env: "cartpole", drift: "ppo", returns: [1])
        let config = try HDF5File.open(path).root.openGroup("config")
        #expect(try config.attributeValue("annealLearningRate") == .int64(1))
        #expect(try config.attributeValue("normalizeObservations") == .int64(0))
    }

    @Test func needsAnOutput() throws {
        let result = try DriftLabBinary.run(["runs", "export", "/nonexistent.h5"])
        #expect(result.status != 0 && result.stderr.contains("--csv FILE or --json FILE"), "\(result.stderr)")
    }
}

@Suite struct PlotCommandTests {
    /// Pixels of `image` in `region` (fractions of width and height) close to `color`.
    func count(_ image: PNGImage, near color: Color, x: ClosedRange<Double>, y: ClosedRange<Double>) -> Int {
        var n = 0
        for py in stride(from: Int(y.lowerBound * Double(image.height)), to: Int(y.upperBound * Double(image.height)), by: 2) {
            for px in stride(from: Int(x.lowerBound * Double(image.width)), to: Int(x.upperBound * Double(image.width)), by: 2) {
                let c = image.pixel(x: px, y: py)
                if abs(c.red - color.red) < 0.08 && abs(c.green - color.green) < 0.08 && abs(c.blue - color.blue) < 0.08 { n += 1 }
            }
        }
        return n
    }

    @Test func onePanelPerEnvWithALineAndBandPerLabel() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // cartpole: ppo and dpo; acrobot: ppo only.
        try RunFixture.grid(in: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("acrobot-dpo"))
        // Relative paths resolve from the working directory.
        let result = try DriftLabBinary.run(["plot", "cartpole-ppo", "cartpole-dpo", "acrobot-ppo/*.h5", "--smooth", "2", "--out", "curves.png"],
                                            in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("9 runs, 2 envs, 2 labels"), "\(result.stdout)")
        let image = try PNGImage(contentsOf: dir.appendingPathComponent("curves.png").path)
        // 6.8 x 3.6 inches at 300 dpi.
        #expect(image.width == 2040 && image.height == 1080)
        // Left panel (cartpole): PPO blue and DPO green lines; right panel (acrobot): blue only.
        let left = 0.0...0.5, right = 0.5...1.0, plots = 0.1...0.8
        #expect(count(image, near: .ppo, x: left, y: plots) > 50)
        #expect(count(image, near: .dpo, x: left, y: plots) > 50)
        #expect(count(image, near: .ppo, x: right, y: plots) > 50)
        #expect(count(image, near: .dpo, x: right, y: plots) == 0)
    }

    @Test func updatesOnTheXAxisAndVectorOutput() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try RunFixture.grid(in: dir)
        let svg = dir.appendingPathComponent("entropy.svg").path
        let result = try DriftLabBinary.run(["plot", dir.path, "--metric", "entropy", "--x", "update", "--out", svg])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.count > 2000)
    }

    @Test(arguments: [
        (["--metric", "reward"], "--metric 'reward'"),
        (["--smooth", "0"], "--smooth"),
        (["--out", "x.jpg"], "x.jpg"),
        (["--x", "time"], "time"),
    ])
    func badOptionsNameThemselves(options: [String], mention: String) throws {
        let result = try DriftLabBinary.run(["plot", "/nonexistent.h5"] + options)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }
}

@Suite struct FigureManifestPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func anUnknownRunsLabelIsAnError() throws {
        let result = try DriftLabBinary.run(["figure", "7", "--manifest", "data/figures.json", "--out-dir", "/tmp/never-written",
                                             "--runs", "TRPO=runs/*.h5"], in: Self.root)
        #expect(result.status != 0)
        #expect(result.stderr.contains("figure 7 has no series 'TRPO'") && result.stderr.contains("PPO"), "\(result.stderr)")
    }

    /// `--draft` draws Figure 6 from whatever runs the shipped data has (its sweep is under way).
    @Test func aDraftOfFigure6DrawsTheShippedRuns() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try DriftLabBinary.run(["figure", "6", "--draft", "--map-resolution", "8", "--out-dir", dir.path], in: Self.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("fig6.png").path))
    }

    @Test func manifestPathsResolveFromTheProjectRootAndOverridesFromTheWorkingDirectory() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for seed in 0..<2 {
            try RunFixture.write(dir.appendingPathComponent("mine/\(seed).h5"), env: "breakout", drift: "ppo", seed: UInt64(seed),
                                 returns: [1, 2, 3])
        }
        // Run from a folder outside the project: the manifest's own series come from the
        // project's data/runs, the override from ./mine.
        let manifest = Self.root.appendingPathComponent("data/figures.json").path
        let result = try DriftLabBinary.run(["figure", "7", "--manifest", manifest, "--out-dir", "out", "--runs", "Breakout/PPO=mine/*.h5"],
                                            in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/fig7.png").path))
        let missing = try DriftLabBinary.run(["figure", "7", "--manifest", manifest, "--out-dir", "out", "--runs", "Breakout/PPO=absent/*.h5"],
                                             in: dir)
        #expect(missing.status != 0 && missing.stderr.contains("absent/*.h5"), "\(missing.stderr)")
    }
}

@Suite struct RunsRepointTests {
    /// Reads a file's bytes, to show a refused rewrite left it untouched.
    func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    @Test func runsFollowARenamedDriftFileAndRefuseAnotherDrift() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = dir.appendingPathComponent("lpo.h5"), kept = dir.appendingPathComponent("lpo-cartpole.h5")
        let other = dir.appendingPathComponent("other.h5")
        try DriftFile.write(PPODrift(), to: old)
        try FileManager.default.copyItem(at: old, to: kept)
        try DriftFile.write(PPODrift(epsilon: 0.3), to: other)
        let run = dir.appendingPathComponent("cartpole-lpo/0.h5")
        try RunFixture.write(run, env: "cartpole", drift: old.path, returns: [1, 2, 3])
        let curvesBefore = try RunFile.read(from: run).curves.map { $0["episode_return"] }

        let moved = try DriftLabBinary.run(["runs", "repoint", run.path, "--drift", kept.path])
        #expect(moved.status == 0 && moved.stdout.contains("\(old.path) -> \(kept.path)"), "\(moved.stderr)")
        let root = try HDF5File.open(run).root
        #expect(try root.attribute("drift", as: String.self) == kept.path)
        #expect(try root.attribute("drift_repointed_from", as: String.self) == old.path)
        let contents = try RunFile.read(from: run)
        #expect(contents.description.drift == kept.path && contents.curves.map { $0["episode_return"] } == curvesBefore
                && contents.complete)
        #expect(try DriftLabBinary.run(["runs", "repoint", run.path, "--drift", kept.path]).stdout.contains("already names"))

        // A drift file with another drift: a one-line error naming the run, and the file is unchanged.
        let before = try bytes(run)
        let refused = try DriftLabBinary.run(["runs", "repoint", run.path, "--drift", other.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("'\(run.path)': not repointed: its drift (ppo(eps=0.2)) is not the one in '\(other.path)'"),
                "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        #expect(try bytes(run) == before)
        let missing = try DriftLabBinary.run(["runs", "repoint", run.path, "--drift", dir.appendingPathComponent("none.h5").path])
        #expect(missing.status != 0 && missing.stderr.contains("--drift: no file"), "\(missing.stderr)")
    }
}
