/// What one update (rollout + epochs) measured; one row of a run file's `/curves`.
public struct UpdateMetrics: Sendable, Equatable, Codable {
    /// 1-based index of the update.
    public var update: Int
    /// Environment steps taken so far (all parallel environments together).
    public var envSteps: Int
    /// Mean undiscounted return of the episodes that finished during this update; NaN if none.
    public var episodeReturn: Double
    /// Episodes that finished during this update.
    public var episodesFinished: Int
    /// Mean policy entropy over the minibatches (nats; the sampled estimate for tanh-Normal).
    public var entropy: Double
    /// Mean negative mirror objective, `-mean(r A - f)`.
    public var policyLoss: Double
    /// Mean value loss (with its coefficient).
    public var valueLoss: Double
    /// Mean `(r - 1) - log r` over the minibatches.
    public var approxKL: Double
    /// Mean fraction of samples with `f(r, A) > 0`.
    public var driftActiveFraction: Double
    /// Learning rate used in this update.
    public var learningRate: Double
    /// Mean global gradient norm before clipping.
    public var gradientNorm: Double
    /// Environment steps per second of wall-clock time in this update.
    public var stepsPerSecond: Double
    /// Mean evaluation return when an evaluation ran after this update; NaN otherwise.
    public var evalReturn: Double

    /// The curve names in `/curves`, with a getter each (order of the file).
    public static let curves: [(name: String, value: @Sendable (UpdateMetrics) -> Double)] = [
        ("update", { Double($0.update) }),
        ("env_steps", { Double($0.envSteps) }),
        ("episode_return", { $0.episodeReturn }),
        ("episodes_finished", { Double($0.episodesFinished) }),
        ("entropy", { $0.entropy }),
        ("policy_loss", { $0.policyLoss }),
        ("value_loss", { $0.valueLoss }),
        ("approx_kl", { $0.approxKL }),
        ("drift_active_fraction", { $0.driftActiveFraction }),
        ("learning_rate", { $0.learningRate }),
        ("gradient_norm", { $0.gradientNorm }),
        ("steps_per_second", { $0.stepsPerSecond }),
        ("eval_return", { $0.evalReturn }),
    ]

    /// Rebuilds metrics from one row of curves keyed by name (missing curves read as NaN).
    public init(curveValues v: [String: Double]) {
        func x(_ k: String) -> Double { v[k] ?? .nan }
        update = Int(x("update"))
        envSteps = Int(x("env_steps"))
        episodeReturn = x("episode_return")
        episodesFinished = Int(v["episodes_finished"] ?? 0)
        entropy = x("entropy")
        policyLoss = x("policy_loss")
        valueLoss = x("value_loss")
        approxKL = x("approx_kl")
        driftActiveFraction = x("drift_active_fraction")
        learningRate = x("learning_rate")
        gradientNorm = x("gradient_norm")
        stepsPerSecond = x("steps_per_second")
        evalReturn = x("eval_return")
    }

    public init(update: Int, envSteps: Int, episodeReturn: Double, episodesFinished: Int, entropy: Double,
                policyLoss: Double, valueLoss: Double, approxKL: Double, driftActiveFraction: Double,
                learningRate: Double, gradientNorm: Double, stepsPerSecond: Double, evalReturn: Double = .nan) {
        self.update = update
        self.envSteps = envSteps
        self.episodeReturn = episodeReturn
        self.episodesFinished = episodesFinished
        self.entropy = entropy
        self.policyLoss = policyLoss
        self.valueLoss = valueLoss
        self.approxKL = approxKL
        self.driftActiveFraction = driftActiveFraction
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.stepsPerSecond = stepsPerSecond
        self.evalReturn = evalReturn
    }

    /// Equal up to wall-clock timing (for resume checks); NaNs compare equal.
    public func equalsIgnoringTiming(_ other: UpdateMetrics) -> Bool {
        Self.curves.allSatisfy { curve in
            curve.name == "steps_per_second" || {
                let a = curve.value(self), b = curve.value(other)
                return a == b || (a.isNaN && b.isNaN)
            }()
        }
    }
}
