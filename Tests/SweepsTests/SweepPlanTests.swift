import Foundation
import Sweeps
import Testing
import Training

@Suite struct SweepPlanTests {
    let text = """
        out-dir = "out"
        envs = ["cartpole", "acrobot"]
        seeds = "0-1,5"

        [drifts]
        ppo = "ppo"
        dpo = "dpo:alpha=1.5"

        [settings]
        steps = 3e4
        learningRate = 0.001
        actorHidden = [32, 16]
        annealLearningRate = false
        """

    @Test func runsAreSeedMajorWithTheFilesSettingsAndFolders() throws {
        let plan = try SweepPlan(parsing: text, path: "s.toml")
        #expect(plan.seeds == [0, 1, 5])
        #expect(plan.drifts.map(\.label) == ["ppo", "dpo"], "file order, not TOMLKit's sorted order")
        let runs = try plan.runs()
        #expect(runs.count == 2 * 2 * 3)
        // Seed 0 of every env x drift first.
        #expect(runs.prefix(4).map(\.path) == ["out/cartpole-ppo/0.h5", "out/cartpole-dpo/0.h5",
                                               "out/acrobot-ppo/0.h5", "out/acrobot-dpo/0.h5"])
        #expect(runs.map(\.seed) == [0, 0, 0, 0, 1, 1, 1, 1, 5, 5, 5, 5])
        let d = runs[1].description
        #expect(d.drift == "dpo:alpha=1.5" && d.preset == "classic-control" && d.convention == "gymnax")
        #expect(d.config.totalSteps == 30_000 && d.config.learningRate == 0.001 && d.config.actorHidden == [32, 16])
        #expect(d.config.annealLearningRate == false)
    }

    @Test func aSweepNamesTheRunsTrainSeedsNames() throws {
        // The description `train --env cartpole --drift dpo:alpha=1.5 --steps 30000 --set ...` stores.
        let plan = try SweepPlan(parsing: text, path: "s.toml")
        let expected = try TrainingPreset.classicControl.config.applying(
            [("actorHidden", "32,16"), ("annealLearningRate", "false"), ("learningRate", "0.001"), ("totalSteps", "30000")])
        #expect(try plan.runs()[1].description.config == expected)
        // Command-line overrides come after the file's and replace them; --out-dir moves the files.
        let runs = try plan.runs(extra: [.init(key: "learningRate", value: "0.002")], outDir: "elsewhere")
        #expect(runs[0].description.config.learningRate == 0.002 && runs[0].path == "elsewhere/cartpole-ppo/0.h5")
    }

    @Test func aPresetAppliesToEveryEnvironmentAndDefaultsArePerEnvironment() throws {
        let perEnv = try SweepPlan(parsing: "out-dir = \"o\"\nenvs = [\"cartpole\", \"breakout\"]\nseeds = 0\n[drifts]\nppo = \"ppo\"\n",
                                   path: "p.toml")
        #expect(try perEnv.runs().map(\.description.preset) == ["classic-control", "minatar"])
        let fixed = try SweepPlan(parsing: "out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = [2, 4]\n[drifts]\nppo = \"ppo\"\n"
                                  + "[settings]\npreset = \"minatar\"\nconvention = \"original\"\n", path: "p.toml")
        #expect(fixed.seeds == [2, 4])
        #expect(try fixed.runs().allSatisfy { $0.description.preset == "minatar" && $0.description.convention == "original" })
    }

    @Test(arguments: [
        ("seeds = \"0-9\"", [UInt64](0...9)),
        ("seeds = \"0,3,5\"", [0, 3, 5]),
        ("seeds = \"0-2,7\"", [0, 1, 2, 7]),
        ("seeds = 4", [4]),
    ])
    func seedForms(line: String, seeds: [UInt64]) throws {
        let plan = try SweepPlan(parsing: "out-dir = \"o\"\nenvs = [\"cartpole\"]\n\(line)\n[drifts]\nppo = \"ppo\"\n", path: "p.toml")
        #expect(plan.seeds == seeds)
    }

    @Test(arguments: [
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\n[drifts]\nppo = \"ppo\"\n", "seeds", "missing"),
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = \"1,1\"\n[drifts]\nppo = \"ppo\"\n", "seeds", "seed 1 appears twice"),
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n", "drifts", "missing"),
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n[drifts]\n\"a/b\" = \"ppo\"\n", "drifts.a/b", "folder-name"),
        ("out-dir = \"o\"\nenvs = []\nseeds = 0\n[drifts]\nppo = \"ppo\"\n", "envs", "non-empty"),
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n[drifts]\nppo = \"ppo\"\n[settings]\nsteps = 1\ntotalSteps = 2\n",
         "settings.steps", "not both"),
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n[drifts]\nppo = \"ppo\"\n[settings]\nnumEnvs = 0\n", "settings", "numEnvs"),
        // An unquoted label with a dot is a nested table in TOML: the error says to quote it.
        ("out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n[drifts]\nlpo-s0.1 = \"ppo\"\n", "drifts.lpo-s0",
         "quote a label that has a '.' (\"lpo-s0.1\" = "),
    ])
    func errorsNameTheFileAndTheKey(text: String, key: String, reason: String) throws {
        let error = #expect(throws: SweepError.self) { try SweepPlan(parsing: text, path: "bad.toml") }
        guard case .invalidFile(let path, let k, let r)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(path == "bad.toml" && k == key && r.contains(reason), "\(r)")
    }

    @Test func aQuotedLabelWithADotIsOneLabel() throws {
        let plan = try SweepPlan(parsing: "out-dir = \"o\"\nenvs = [\"cartpole\"]\nseeds = 0\n[drifts]\n\"lpo-s0.1\" = \"ppo\"\n", path: "p.toml")
        #expect(plan.drifts.map(\.label) == ["lpo-s0.1"])
    }

    @Test func seedListParsesRangesAndListsAndRejectsTheRest() throws {
        #expect(try SeedList.parse("3") == [3])
        #expect(try SeedList.parse("8-10,1") == [8, 9, 10, 1])
        for bad in ["", "1,", "a", "5-2", "0-1,1", "-3"] {
            #expect(throws: SeedList.ParseError.self, "\(bad)") { try SeedList.parse(bad) }
        }
    }
}

@Suite struct SweepEvaluationsTests {
    @Test func evaluationsSetEachEnvironmentsEvalInterval() throws {
        // cartpole: 3e4 / (4 x 128) = 58 updates -> every 2; breakout: 3e4 / (64 x 128) = 3 updates -> every 1.
        let plan = try SweepPlan(parsing: """
            out-dir = "o"
            envs = ["cartpole", "breakout"]
            seeds = 0
            [drifts]
            ppo = "ppo"
            [settings]
            steps = 30000
            evaluations = 20
            """, path: "e.toml")
        #expect(try plan.runs().map(\.description.config.evalInterval) == [2, 1])
        #expect(try plan.runs(extra: [.init(key: "evalInterval", value: "7")]).map(\.description.config.evalInterval) == [7, 7])
    }
}
