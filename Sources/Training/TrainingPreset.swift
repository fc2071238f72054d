/// Named configurations, each reproducing a published setup. Every environment has a
/// default preset, so `--preset` may be omitted.
public enum TrainingPreset: String, Sendable, CaseIterable, Codable {
    /// The public JAX PPO configuration for MinAtar that the paper's Figure 7 builds on
    /// (purejaxrl): 64 envs x 128 steps, 4 epochs x 8 minibatches, Adam 5e-3 (eps 1e-5)
    /// annealed, grad-norm 0.5, gamma 0.99, lambda 0.95, value clip 0.2, entropy 0.01,
    /// value 0.5, separate 64-64 ReLU actor and critic, orthogonal init, 1e7 steps.
    case minatar
    /// Classic control (CartPole, Acrobot, Pendulum, MountainCar): purejaxrl's CartPole
    /// settings — 4 envs x 128 steps, 4 epochs x 4 minibatches, Adam 2.5e-4 annealed,
    /// grad-norm 0.5, 64-64 tanh, 5e5 steps.
    case classicControl = "classic-control"

    /// The preset used when none is named.
    public static func defaultPreset(forEnvironment name: String) -> TrainingPreset {
        ["breakout", "asterix", "freeway", "space-invaders", "seaquest"].contains(name) ? .minatar : .classicControl
    }

    /// The configuration of this preset.
    public var config: TrainingConfig {
        var c = TrainingConfig()
        switch self {
        case .minatar:
            c.totalSteps = 10_000_000
            c.numEnvs = 64
            c.rolloutSteps = 128
            c.epochs = 4
            c.minibatches = 8
            c.learningRate = 5e-3
            c.annealLearningRate = true
            c.adamEpsilon = 1e-5
            c.maxGradientNorm = 0.5
            c.gamma = 0.99
            c.gaeLambda = 0.95
            c.valueClip = 0.2
            c.entropyCoefficient = 0.01
            c.valueCoefficient = 0.5
            c.actorHidden = [64, 64]
            c.criticHidden = [64, 64]
            c.activation = "relu"
            c.initialisation = "orthogonal"
            c.normalizeObservations = false
        case .classicControl:
            c.totalSteps = 500_000
            c.numEnvs = 4
            c.rolloutSteps = 128
            c.epochs = 4
            c.minibatches = 4
            c.learningRate = 2.5e-4
            c.annealLearningRate = true
            c.adamEpsilon = 1e-5
            c.maxGradientNorm = 0.5
            c.gamma = 0.99
            c.gaeLambda = 0.95
            c.valueClip = 0.2
            c.entropyCoefficient = 0.01
            c.valueCoefficient = 0.5
            c.actorHidden = [64, 64]
            c.criticHidden = [64, 64]
            c.activation = "tanh"
            c.initialisation = "orthogonal"
            c.normalizeObservations = false
        }
        return c
    }
}
