/// One rollout as the learner saw it, time-major `[T, N, ...]`, kept for `--save-rollouts`.
public struct RecordedRollout: Sendable {
    /// 1-based update that collected it.
    public var update: Int
    public var steps: Int
    public var envs: Int
    public var observationShape: [Int]
    /// Raw observations `[T, N, observation...]` (binary grids as 0/1).
    public var observations: [Float]
    /// Discrete actions `[T, N]` (empty for continuous tasks).
    public var discreteActions: [Int32]
    /// Pre-tanh Gaussian samples `[T, N, dim]` (continuous tasks; the action is tanh of it, scaled).
    public var preTanhActions: [Float]
    public var actionShape: [Int]
    /// Rewards after reward scaling.
    public var rewards: [Float]
    public var terminated: [Bool]
    public var truncated: [Bool]
    public var logProbs: [Float]
    public var values: [Float]
    public var advantages: [Float]
    public var returns: [Float]
}
