/// Every hyperparameter of a training run, with its unit, as one documented value type.
/// Presets (`TrainingPreset`) fill it; the command line and config files override fields;
/// the resolved configuration is stored in every run file.
public struct TrainingConfig: Sendable, Equatable, Codable {
    // MARK: Budget and rollout
    /// Total environment steps (summed over all parallel environments).
    public var totalSteps: Int = 1_000_000
    /// Parallel environments in the rollout.
    public var numEnvs: Int = 64
    /// Steps per environment per rollout (the unroll length).
    public var rolloutSteps: Int = 128

    // MARK: Optimisation
    /// Passes over each rollout.
    public var epochs: Int = 4
    /// Minibatches per epoch.
    public var minibatches: Int = 8
    /// Adam learning rate.
    public var learningRate: Float = 5e-3
    /// Anneal the learning rate linearly to 0 over the run.
    public var annealLearningRate: Bool = true
    /// Adam epsilon.
    public var adamEpsilon: Float = 1e-5
    /// Global gradient-norm clip, or nil for none.
    public var maxGradientNorm: Float? = 0.5

    /// Each minibatch is split into this many shards whose gradients are computed in
    /// parallel and summed in a fixed order. Part of the config (not the core count) so a
    /// seed gives the same result on any machine.
    public var minibatchShards: Int = 2

    // MARK: Returns and losses
    /// Discount factor.
    public var gamma: Float = 0.99
    /// GAE lambda.
    public var gaeLambda: Float = 0.95
    /// Normalise advantages per minibatch.
    public var normalizeAdvantages: Bool = true
    /// Weight of the value loss.
    public var valueCoefficient: Float = 0.5
    /// Clip range of the value loss around the rollout's values, or nil for the plain loss.
    public var valueClip: Float? = 0.2
    /// Weight of the entropy bonus.
    public var entropyCoefficient: Float = 0.01
    /// Multiply rewards by this before learning (Brax's reward scaling).
    public var rewardScale: Float = 1

    // MARK: Networks
    /// Actor hidden widths.
    public var actorHidden: [Int] = [64, 64]
    /// Critic hidden widths.
    public var criticHidden: [Int] = [64, 64]
    /// Hidden activation: `relu`, `tanh` or `swish`.
    public var activation: HiddenActivation = .relu
    /// Weight initialisation: `orthogonal` (gains sqrt 2, policy head 0.01, value head 1) or `lecun-uniform`.
    public var initialisation: WeightInitialisation = .orthogonal
    /// Running observation normalisation (variance clipped to [1e-6, 1e6], output to +-5).
    public var normalizeObservations: Bool = false

    // MARK: Evaluation and files
    /// Evaluate the policy every this many updates (0 = only at the end).
    public var evalInterval: Int = 0
    /// Episodes per evaluation.
    public var evalEpisodes: Int = 16
    /// Write a checkpoint every this many updates (0 = only at the end).
    public var checkpointInterval: Int = 50

    public init() {}

    /// Samples per rollout: `numEnvs * rolloutSteps`.
    public var batchSize: Int { numEnvs * rolloutSteps }
    /// Samples per minibatch.
    public var minibatchSize: Int { batchSize / minibatches }
    /// Updates (rollout + epochs) in the run.
    public var numUpdates: Int { totalSteps / batchSize }

    /// Upper limits of the sizes, far above any sensible run: a value beyond one is a typo,
    /// and would otherwise overflow an `Int` product or fail to allocate.
    public enum Limit {
        /// Total environment steps: 10^11, a hundred times the longest run of the paper.
        public static let totalSteps = 100_000_000_000
        /// Parallel environments.
        public static let numEnvs = 65_536
        /// Steps per environment per rollout.
        public static let rolloutSteps = 1_000_000
        /// Samples per rollout (`numEnvs * rolloutSteps`): 2^24.
        public static let batchSize = 16_777_216
        /// Passes over each rollout, and minibatch shards.
        public static let epochs = 10_000
        /// Width of a hidden layer, and number of hidden layers.
        public static let hiddenWidth = 65_536
        public static let hiddenLayers = 64
        /// Episodes per evaluation.
        public static let evalEpisodes = 100_000
    }

    /// Throws naming the first field whose value is out of range.
    public func validate() throws {
        func require(_ ok: Bool, _ field: String, _ rule: String) throws {
            if !ok { throw TrainingError.invalidConfig("\(field): \(rule)") }
        }
        func capped(_ value: Int, _ field: String, _ limit: Int) throws {
            try require(value <= limit, field, "\(value) is above the limit of \(limit)")
        }
        try require(numEnvs > 0, "numEnvs", "must be positive, got \(numEnvs)")
        try capped(numEnvs, "numEnvs", Limit.numEnvs)
        try require(rolloutSteps > 0, "rolloutSteps", "must be positive, got \(rolloutSteps)")
        try capped(rolloutSteps, "rolloutSteps", Limit.rolloutSteps)
        try capped(batchSize, "numEnvs x rolloutSteps", Limit.batchSize)
        try require(totalSteps >= 0, "totalSteps", "must be >= 0, got \(totalSteps)")
        try capped(totalSteps, "totalSteps", Limit.totalSteps)
        try capped(epochs, "epochs", Limit.epochs)
        try capped(minibatchShards, "minibatchShards", Limit.epochs)
        try require(actorHidden.count <= Limit.hiddenLayers && criticHidden.count <= Limit.hiddenLayers, "actorHidden/criticHidden",
                    "at most \(Limit.hiddenLayers) hidden layers, got \(max(actorHidden.count, criticHidden.count))")
        try capped((actorHidden + criticHidden).max() ?? 0, "actorHidden/criticHidden width", Limit.hiddenWidth)
        try capped(evalEpisodes, "evalEpisodes", Limit.evalEpisodes)
        try require(totalSteps >= batchSize, "totalSteps",
                    "\(totalSteps) is less than one rollout (numEnvs x rolloutSteps = \(batchSize))")
        try require(epochs > 0, "epochs", "must be positive, got \(epochs)")
        try require(minibatches > 0 && batchSize % minibatches == 0, "minibatches",
                    "must divide the batch size \(batchSize), got \(minibatches)")
        try require(minibatchShards >= 1 && minibatchShards <= minibatchSize, "minibatchShards",
                    "must be in 1...minibatch size (\(minibatchSize)), got \(minibatchShards)")
        try require(learningRate > 0 && learningRate.isFinite, "learningRate", "must be positive, got \(learningRate)")
        try require(learningRate <= 1, "learningRate", "must be at most 1, got \(learningRate)")
        try require(adamEpsilon > 0 && adamEpsilon.isFinite, "adamEpsilon", "must be positive, got \(adamEpsilon)")
        try require(maxGradientNorm.map { $0 > 0 && $0.isFinite } ?? true, "maxGradientNorm", "must be positive")
        try require(gamma > 0 && gamma <= 1, "gamma", "must be in (0, 1], got \(gamma)")
        try require(gaeLambda >= 0 && gaeLambda <= 1, "gaeLambda", "must be in [0, 1], got \(gaeLambda)")
        try require(valueCoefficient >= 0 && valueCoefficient.isFinite, "valueCoefficient", "must be >= 0")
        try require(valueClip.map { $0 > 0 && $0.isFinite } ?? true, "valueClip", "must be positive")
        try require(entropyCoefficient >= 0 && entropyCoefficient.isFinite, "entropyCoefficient", "must be >= 0")
        try require(rewardScale > 0 && rewardScale.isFinite, "rewardScale", "must be positive")
        try require(!actorHidden.isEmpty && actorHidden.allSatisfy { $0 > 0 }, "actorHidden", "needs positive widths")
        try require(!criticHidden.isEmpty && criticHidden.allSatisfy { $0 > 0 }, "criticHidden", "needs positive widths")
        try require(evalInterval >= 0, "evalInterval", "must be >= 0, got \(evalInterval)")
        try require(evalEpisodes > 0, "evalEpisodes", "must be positive, got \(evalEpisodes)")
        try require(checkpointInterval >= 0, "checkpointInterval", "must be >= 0")
    }
}
