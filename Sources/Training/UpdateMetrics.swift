/// What one update (rollout + epochs) measured; one row of a run file's `/curves`, keyed by
/// curve name. The trainer fills the standard curves below plus whatever named metrics the
/// loss returns (`Trainer.loss`), and `RunFile` writes every key that arrives, so a new curve
/// is one line in the loss.
public struct UpdateMetrics: Sendable, Equatable, Codable {
    /// The values by curve name (`episode_return`, `policy_loss`, ...).
    public var values: [String: Double]

    /// The curves every run file has, in the order of the file; each reads as NaN when absent.
    public static let standardNames = [
        "update", "env_steps", "episode_return", "episodes_finished", "entropy", "policy_loss", "value_loss",
        "approx_kl", "drift_active_fraction", "learning_rate", "gradient_norm", "steps_per_second", "eval_return",
    ]

    /// The standard curve names with a getter each (order of the file).
    public static let curves: [(name: String, value: @Sendable (UpdateMetrics) -> Double)] =
        standardNames.map { name in (name, { $0[name] }) }

    /// The curve named `name`, NaN when this row has none.
    public subscript(name: String) -> Double {
        get { values[name] ?? .nan }
        set { values[name] = newValue }
    }

    /// Every curve name of this row: the standard ones, then any others alphabetically.
    public var names: [String] {
        Self.standardNames + values.keys.filter { !Self.standardNames.contains($0) }.sorted()
    }

    /// The curve names of `runs`: the standard ones, then every other name any row holds,
    /// alphabetically (what `RunFile` wrote for metrics beyond the standard curves).
    public static func curveNames(of runs: [RunFile.Contents]) -> [String] {
        var extra = Set<String>()
        for run in runs { for row in run.curves { extra.formUnion(row.values.keys) } }
        return standardNames + extra.subtracting(standardNames).sorted()
    }

    /// Rebuilds metrics from one row of curves keyed by name (missing curves read as NaN;
    /// `episodes_finished` as 0).
    public init(curveValues v: [String: Double]) {
        values = v
        if values["episodes_finished"] == nil { values["episodes_finished"] = 0 }
    }

    public init(update: Int, envSteps: Int, episodeReturn: Double, episodesFinished: Int, entropy: Double,
                policyLoss: Double, valueLoss: Double, approxKL: Double, driftActiveFraction: Double,
                learningRate: Double, gradientNorm: Double, stepsPerSecond: Double, evalReturn: Double = .nan) {
        values = ["update": Double(update), "env_steps": Double(envSteps), "episode_return": episodeReturn,
                  "episodes_finished": Double(episodesFinished), "entropy": entropy, "policy_loss": policyLoss,
                  "value_loss": valueLoss, "approx_kl": approxKL, "drift_active_fraction": driftActiveFraction,
                  "learning_rate": learningRate, "gradient_norm": gradientNorm, "steps_per_second": stepsPerSecond,
                  "eval_return": evalReturn]
    }

    // MARK: The standard curves by name

    /// 1-based index of the update.
    public var update: Int { Int(self["update"]) }
    /// Environment steps taken so far (all parallel environments together).
    public var envSteps: Int { Int(self["env_steps"]) }
    /// Mean undiscounted return of the episodes that finished during this update; NaN if none.
    public var episodeReturn: Double { self["episode_return"] }
    /// Episodes that finished during this update.
    public var episodesFinished: Int { Int(self["episodes_finished"]) }
    /// Mean policy entropy over the minibatches (nats; the sampled estimate for tanh-Normal).
    public var entropy: Double { self["entropy"] }
    /// Mean negative mirror objective, `-mean(r A - f)`.
    public var policyLoss: Double { self["policy_loss"] }
    /// Mean value loss (with its coefficient).
    public var valueLoss: Double { self["value_loss"] }
    /// Mean `(r - 1) - log r` over the minibatches.
    public var approxKL: Double { self["approx_kl"] }
    /// Mean fraction of samples with `f(r, A) > 0`.
    public var driftActiveFraction: Double { self["drift_active_fraction"] }
    /// Learning rate used in this update.
    public var learningRate: Double { self["learning_rate"] }
    /// Mean global gradient norm before clipping.
    public var gradientNorm: Double { self["gradient_norm"] }
    /// Environment steps per second of wall-clock time in this update.
    public var stepsPerSecond: Double { self["steps_per_second"] }
    /// Mean evaluation return when an evaluation ran after this update; NaN otherwise.
    public var evalReturn: Double {
        get { self["eval_return"] }
        set { self["eval_return"] = newValue }
    }

    /// Equal up to wall-clock timing (for resume checks); NaNs compare equal.
    public func equalsIgnoringTiming(_ other: UpdateMetrics) -> Bool {
        Set(names + other.names).allSatisfy { name in
            name == "steps_per_second" || {
                let a = self[name], b = other[name]
                return a == b || (a.isNaN && b.isNaN)
            }()
        }
    }
}
