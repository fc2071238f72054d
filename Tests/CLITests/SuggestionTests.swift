import Foundation
import Testing
import TestSupport

/// "Did you mean" for every kind of name a user types, and the env spellings of other
/// libraries (issue 18, finding 3).
@Suite struct SuggestionTests {
    @Test(arguments: [
        // Environments: a typo, a name cut short.
        (["train", "--env", "cartpol", "--print-config"], "unknown environment 'cartpol' (did you mean 'cartpole'?)"),
        (["env", "play", "spaceinvader", "--episodes", "2"], "(did you mean 'space-invaders'?)"),
        (["bench", "env", "halfchetah"], "(did you mean 'halfcheetah'?)"),
        // Presets.
        (["train", "--env", "cartpole", "--preset", "minatr", "--print-config"], "unknown preset 'minatr' (did you mean 'minatar'?)"),
        (["train", "--env", "ant", "--preset", "brax-ants", "--print-config"], "(did you mean 'brax-ant'?)"),
        // Drift names and options.
        (["train", "--env", "cartpole", "--drift", "dpo:alpah=1.5", "--print-config"], "(did you mean 'alpha'? dpo takes alpha, beta)"),
        (["drift", "map", "lpo:inti=zero", "--csv", "/tmp/unused.csv"], "(did you mean 'init'?"),
        (["drift", "check", "dpp"], "(did you mean 'dpo'?)"),
        // Config keys, in --set.
        (["train", "--env", "cartpole", "--set", "learningRat=0.1", "--print-config"], "unknown field 'learningRat' (did you mean 'learningRate'?)"),
        (["train", "--env", "cartpole", "--set", "entropy-coef=0.1", "--print-config"], "(did you mean 'entropyCoefficient'?)"),
        // Subcommands, at every level.
        (["trian", "--env", "cartpole"], "unknown command 'trian' for 'driftlab' (did you mean 'train'?)"),
        (["drift", "mpa", "dpo"], "unknown command 'mpa' for 'driftlab drift' (did you mean 'map'?)"),
        (["runs", "sumary", "x.h5"], "(did you mean 'summary'?)"),
    ])
    func aMisspeltNameGetsTheNameMeant(args: [String], message: String) throws {
        let result = try DriftLabBinary.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Unknown option"))
    }

    @Test func aWordFarFromEveryNameGetsNoGuess() throws {
        let result = try DriftLabBinary.run(["train", "--env", "pong", "--print-config"])
        #expect(result.status != 0 && result.stderr.contains("unknown environment 'pong'"))
        #expect(!result.stderr.contains("did you mean"), "\(result.stderr)")
    }

    @Test(arguments: [
        ("CartPole-v1", "cartpole"), ("CARTPOLE", "cartpole"), ("Acrobot-v1", "acrobot"), ("Pendulum-v1", "pendulum"),
        ("MountainCarContinuous-v0", "mountain-car-continuous"), ("Breakout-MinAtar", "breakout"),
        ("SpaceInvaders-MinAtar", "space-invaders"), ("MinAtar/Asterix-v1", "asterix"), ("HalfCheetah-v5", "halfcheetah"),
        ("InvertedPendulum-v5", "inverted-pendulum"), ("Walker2d-v5", "walker2d"),
    ])
    func gymnasiumAndGymnaxNamesAreAliases(alias: String, name: String) throws {
        let result = try DriftLabBinary.run(["train", "--env", alias, "--print-config"])
        #expect(result.status == 0, "\(result.stderr)")
        // The run is stored under the catalog's own name.
        #expect(result.stdout.contains("env = \"\(name)\"\n"), "\(result.stdout.prefix(300))")
    }

    @Test func envPlayTakesAnAliasToo() throws {
        let result = try DriftLabBinary.run(["env", "play", "CartPole-v1", "--episodes", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"episodes\" : 3"))
    }

    @Test func completionScriptsCompleteEnvironmentsPresetsAndDrifts() throws {
        let bash = try DriftLabBinary.run(["--generate-completion-script", "bash"])
        #expect(bash.status == 0, "\(bash.stderr)")
        #expect(bash.stdout.contains("space-invaders") && bash.stdout.contains("brax-inverted-pendulum"))
        // Drift specs come from the binary at completion time (they include drift files).
        // What bash's completion function runs for `driftlab train --drift dp<TAB>`: word 3, cursor at 2.
        let drifts = try DriftLabBinary.run(["---completion", "train", "--", "--drift", "3", "2", "driftlab", "train", "--drift", "dp"])
        #expect(drifts.status == 0, "\(drifts.stderr)")
        #expect(drifts.stdout.split(separator: "\n").contains("dpo:alpha=2,beta=0.6"), "\(drifts.stdout)")
    }
}
