import Foundation
import Storage
import Testing
import TestSupport
import Training

/// `train --print-config` and `train --config FILE.toml` (issue 18, finding 2).
@Suite struct ConfigFileTests {
    let small = ["--set", "num-envs=4", "--set", "rollout_steps=16", "--set", "minibatches=2", "--set", "evalEpisodes=3",
                 "--steps", "256"]

    @Test func printConfigRoundTripsThroughConfig() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try DriftLabBinary.run(["train", "--env", "CartPole-v1", "--drift", "dpo", "--seed", "3", "--print-config"] + small)
        #expect(first.status == 0, "\(first.stderr)")
        // Fully resolved: the catalog's env name, the preset, every hyperparameter.
        for line in ["env = \"cartpole\"", "drift = \"dpo\"", "preset = \"classic-control\"", "seed = 3", "numEnvs = 4",
                     "rolloutSteps = 16", "totalSteps = 256", "learningRate = 0.00025", "activation = \"tanh\"",
                     "actorHidden = [64, 64]", "maxGradientNorm = 0.5"] {
            #expect(first.stdout.contains(line + "\n"), "missing \(line) in\n\(first.stdout)")
        }
        let file = dir.appendingPathComponent("run.toml")
        try first.stdout.write(to: file, atomically: true, encoding: .utf8)
        let second = try DriftLabBinary.run(["train", "--config", file.path, "--print-config"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == first.stdout)

        // Flags win over the file.
        let overridden = try DriftLabBinary.run(["train", "--config", file.path, "--seed", "5", "--set", "gamma=0.9", "--print-config"])
        #expect(overridden.stdout.contains("seed = 5\n") && overridden.stdout.contains("gamma = 0.9\n"), "\(overridden.stdout)")
    }

    @Test func aTOMLConfigTrainsTheSameRunAsTheFlags() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let viaFlags = dir.appendingPathComponent("flags.h5").path
        let flags = try DriftLabBinary.run(["train", "--env", "cartpole", "--drift", "dpo:alpha=1.5", "--seed", "3", "--quiet",
                                            "--out", viaFlags, "--set", "learningRate=0.001"] + small)
        #expect(flags.status == 0, "\(flags.stderr)")
        // Written by hand: kebab-case and camelCase keys, at the top level and under [config].
        let toml = """
            # the same run as the flags
            env = "cartpole"
            drift = "dpo:alpha=1.5"
            seed = 3
            steps = 256
            learning-rate = 0.001

            [config]
            num-envs = 4
            rolloutSteps = 16
            minibatches = 2
            eval_episodes = 3
            """
        let file = dir.appendingPathComponent("run.toml")
        try toml.write(to: file, atomically: true, encoding: .utf8)
        let viaFile = dir.appendingPathComponent("toml.h5").path
        let fromFile = try DriftLabBinary.run(["train", "--config", file.path, "--quiet", "--out", viaFile])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")

        let a = try RunFile.read(from: URL(fileURLWithPath: viaFlags)), b = try RunFile.read(from: URL(fileURLWithPath: viaFile))
        #expect(a.description == b.description)
        #expect(a.description.config.learningRate == 0.001 && a.description.config.numEnvs == 4)
        let left = try datasets(of: viaFlags), right = try datasets(of: viaFile)
        #expect(left.keys.sorted() == right.keys.sorted())
        #expect(left.keys.contains("curves/episode_return") && left.keys.contains { $0.hasPrefix("policy/") }, "\(left.keys.sorted())")
        for (path, values) in left where !path.contains("steps_per_second") {
            // NaN (no episode finished yet) equals NaN here.
            let other = right[path] ?? []
            #expect(values.count == other.count && zip(values, other).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) },
                    "dataset \(path) differs")
        }
    }

    @Test func olderKeyValueConfigFilesStillWork() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("old.conf")
        try "# hyperparameters only, unquoted\nactivation = relu\nnumEnvs = 8\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try DriftLabBinary.run(["train", "--env", "cartpole", "--config", file.path, "--print-config"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("activation = \"relu\"\n") && result.stdout.contains("numEnvs = 8\n"))
    }

    @Test func aMisspeltConfigKeyIsNamedWithWhatWasMeant() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.toml")
        try "env = \"cartpole\"\nlearningRat = 0.01\n".write(to: file, atomically: true, encoding: .utf8)
        let result = try DriftLabBinary.run(["train", "--config", file.path, "--print-config"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown key 'learningRat' (did you mean 'learningRate'?)"), "\(result.stderr)")
        #expect(result.stderr.contains(file.path))
    }

    @Test func stepsThatAreNotWholeUpdatesAreRoundedWithANote() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let printed = try DriftLabBinary.run(["train", "--env", "cartpole", "--steps", "100000", "--print-config"])
        // classic-control: 4 envs x 128 steps = 512 per update; 195 updates = 99840 steps.
        #expect(printed.stdout.contains("99840 steps in 195 updates"), "\(printed.stdout)")
        let out = dir.appendingPathComponent("run.h5").path
        let result = try DriftLabBinary.run(["train", "--env", "cartpole", "--out", out, "--set", "numEnvs=4",
                                             "--set", "rolloutSteps=16", "--set", "minibatches=2", "--set", "evalEpisodes=2",
                                             "--steps", "200"])
        #expect(result.status == 0, "\(result.stderr)")
        // 200 steps of 64 per update: 3 updates, 192 steps.
        #expect(result.stdout.contains("note: 200 steps is rounded down to whole updates of 64 steps")
                && result.stdout.contains("192 steps in 3 updates"), "\(result.stdout)")
        #expect(try HDF5File.open(URL(fileURLWithPath: out)).root.read("curves/env_steps", as: Double.self).values.last == 192)
    }

    @Test func helpListsEveryPresetAndReadsCleanly() throws {
        let train = try DriftLabBinary.run(["train", "--help"])
        for preset in TrainingPreset.allCases { #expect(train.stdout.contains(preset.rawValue), "\(preset.rawValue) not in --help") }
        #expect(TrainingPreset.allCases.count == 13)
        #expect(train.stdout.contains("--print-config"))
        let flat = train.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("--steps <steps> Total environment steps (default: the preset's; --print-config shows it). "
                              + "Rounded down to whole updates"), "\(flat)")
        let meta = try DriftLabBinary.run(["meta-train", "--help"])
        #expect(!meta.stdout.contains("(default: all cores). (default:"), "\(meta.stdout)")
        #expect(meta.stdout.contains("--workers"))
    }

    /// Every dataset of the file at `path`, by its path, as Doubles.
    func datasets(of path: String) throws -> [String: [Double]] {
        let file = try HDF5File.open(URL(fileURLWithPath: path))
        var result: [String: [Double]] = [:]
        func walk(_ group: HDF5Group, _ prefix: String) throws {
            for name in try group.children() {
                let full = prefix.isEmpty ? name : "\(prefix)/\(name)"
                if let child = try? group.group(name) {
                    try walk(child, full)
                    continue
                }
                let dataset = try group.openDataset(name)
                switch try dataset.elementType {
                case .float32: result[full] = try dataset.read(as: Float.self).values.map(Double.init)
                case .float64: result[full] = try dataset.read(as: Double.self).values
                case .int32: result[full] = try dataset.read(as: Int32.self).values.map(Double.init)
                case .int64: result[full] = try dataset.read(as: Int64.self).values.map(Double.init)
                case .uint8: result[full] = try dataset.read(as: UInt8.self).values.map(Double.init)
                case .other: continue
                }
            }
        }
        try walk(file.root, "")
        return result
    }
}
