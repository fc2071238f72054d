import TaskCatalog

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
    /// Brax PPO as the paper ran it (Lu et al. 2022, Table 2/PAPER-FACTS), per task: 2048 envs,
    /// 32 minibatches, Adam 3e-4 (ur5e 2e-4) without clipping or annealing, lambda 0.95,
    /// policy [32]x4 / value [256]x5 swish with lecun-uniform init, running observation
    /// normalisation, value loss 0.25 MSE. Brax's `batch_size` trajectories of `unroll_length`
    /// steps per minibatch become `rolloutSteps = batch_size * 32 * unroll / 2048`.
    ///
    /// Scaled to a 2-core CPU (the paper ran 2048 environments for 2e7-6e8 steps on GPUs):
    /// 64 environments instead of 2048, so every update sees 1/32 of the paper's data in the
    /// same 32 minibatches, and `cpuSteps` in total (1e6 for most tasks). Ant then makes as
    /// many updates as in the paper (195 against 183); the others make fewer. The paper's
    /// values come back with `--set numEnvs=2048 --steps <paper budget>` (`paperSteps`).
    /// Hopper, Swimmer and InvertedPendulum are not in the paper's table: they use
    /// Walker2d's row.
    case braxAnt = "brax-ant", braxHumanoid = "brax-humanoid", braxFetch = "brax-fetch", braxGrasp = "brax-grasp"
    case braxHalfcheetah = "brax-halfcheetah", braxUR5e = "brax-ur5e", braxReacher = "brax-reacher"
    case braxWalker2d = "brax-walker2d", braxHopper = "brax-hopper", braxSwimmer = "brax-swimmer"
    case braxInvertedPendulum = "brax-inverted-pendulum"

    /// The preset used when none is named.
    /// The preset the catalog entry of environment `name` names (classic control for a name
    /// the catalog does not know).
    public static func defaultPreset(forEnvironment name: String) -> TrainingPreset {
        EnvironmentCatalog.entries.first { $0.name == name }.flatMap { TrainingPreset(rawValue: $0.preset) } ?? .classicControl
    }

    /// Environment steps of the paper's run (Brax presets), against the preset's CPU budget.
    public var paperSteps: Int? { braxRow?.steps }

    /// The paper's per-task Brax settings (PAPER-FACTS table); nil for the other presets.
    var braxRow: (steps: Int, rewardScale: Float, unroll: Int, epochs: Int, gamma: Float, entropy: Float,
                  batch: Int, learningRate: Float)? {
        switch self {
        case .minatar, .classicControl: nil
        case .braxAnt: (30_000_000, 10, 5, 4, 0.97, 1e-2, 1024, 3e-4)
        case .braxHumanoid: (50_000_000, 0.1, 10, 8, 0.97, 1e-3, 1024, 3e-4)
        case .braxFetch: (100_000_000, 5, 20, 4, 0.997, 1e-3, 256, 3e-4)
        case .braxGrasp: (600_000_000, 10, 20, 2, 0.99, 1e-3, 256, 3e-4)
        case .braxHalfcheetah: (100_000_000, 1, 20, 8, 0.95, 1e-3, 512, 3e-4)
        case .braxUR5e: (20_000_000, 10, 5, 4, 0.95, 1e-2, 1024, 2e-4)
        case .braxReacher: (100_000_000, 5, 50, 8, 0.95, 1e-3, 256, 3e-4)
        case .braxWalker2d, .braxHopper, .braxSwimmer, .braxInvertedPendulum:
            (50_000_000, 0.1, 20, 8, 0.97, 1e-3, 256, 3e-4)
        }
    }

    /// Environments of the CPU-scaled Brax presets.
    public static let cpuEnvironments = 64

    /// Total steps of the CPU-scaled Brax presets: 1e6, 2e6 for Humanoid and Grasp (slow
    /// learners with 17 and 19 actuators).
    var cpuSteps: Int {
        switch self {
        case .braxHumanoid, .braxGrasp: 2_000_000
        default: 1_000_000
        }
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
            c.activation = .relu
            c.initialisation = .orthogonal
            c.normalizeObservations = false
        case .classicControl:
            // purejaxrl's CartPole settings differ from its MinAtar ones only here.
            c = TrainingPreset.minatar.config
            c.totalSteps = 500_000
            c.numEnvs = 4
            c.minibatches = 4
            c.learningRate = 2.5e-4
            c.activation = .tanh
        default:
            let row = braxRow!
            c.totalSteps = cpuSteps
            c.rewardScale = row.rewardScale
            c.numEnvs = Self.cpuEnvironments
            c.minibatches = 32
            c.rolloutSteps = row.batch * c.minibatches * row.unroll / 2048
            c.epochs = row.epochs
            c.gamma = row.gamma
            c.entropyCoefficient = row.entropy
            c.learningRate = row.learningRate
            c.annealLearningRate = false
            c.adamEpsilon = 1e-8
            c.maxGradientNorm = nil
            c.gaeLambda = 0.95
            c.valueCoefficient = 0.5 // x 0.5 mean squared error = Brax's 0.25 * MSE
            c.valueClip = nil
            c.actorHidden = [32, 32, 32, 32]
            c.criticHidden = [256, 256, 256, 256, 256]
            c.activation = .swish
            c.initialisation = .lecunUniform
            c.normalizeObservations = true
            c.minibatchShards = 2
        }
        return c
    }
}
