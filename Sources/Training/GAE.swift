/// Generalised Advantage Estimation (Schulman et al. 2016) over a rollout of `T` steps from
/// `E` environments, stored time-major: element `[t * E + e]`.
///
/// Episode ends come in two kinds and are treated differently:
/// - `terminated`: the task ended (a true terminal state): nothing is bootstrapped.
/// - `truncated`: a time limit cut the episode: the return is bootstrapped from the value of
///   the final observation (`truncationValues`), which the environment reported before its
///   automatic reset.
/// Either kind stops the advantage trace from flowing into the next episode.
public struct GAE: Sendable {
    /// Discount factor gamma.
    public var gamma: Float
    /// Trace decay lambda (0.95 in every preset of the paper).
    public var lambda: Float

    public init(gamma: Float, lambda: Float) {
        self.gamma = gamma
        self.lambda = lambda
    }

    /// Computes advantages and value targets (`returns = advantages + values`).
    /// - Parameters:
    ///   - rewards, values, terminated, truncated: `[T, E]` time-major.
    ///   - truncationValues: `[T, E]`; `V(final observation)` where `truncated`, ignored elsewhere.
    ///   - lastValues: `[E]`, `V(s_T)` of the observation after the rollout's last step.
    /// - Returns: advantages and returns, each `[T, E]`.
    public func compute(rewards: [Float], values: [Float], terminated: [Bool], truncated: [Bool],
                        truncationValues: [Float], lastValues: [Float]) -> (advantages: [Float], returns: [Float]) {
        let envs = lastValues.count
        precondition(envs > 0 && rewards.count % envs == 0, "rollout length must be a multiple of the env count")
        precondition([values.count, terminated.count, truncated.count, truncationValues.count].allSatisfy { $0 == rewards.count },
                     "GAE inputs differ in length")
        let steps = rewards.count / envs
        var advantages = [Float](repeating: 0, count: rewards.count)
        var returns = advantages
        for e in 0..<envs {
            var nextValue = lastValues[e]
            var nextAdvantage: Float = 0
            for t in stride(from: steps - 1, through: 0, by: -1) {
                let i = t * envs + e
                // The value that follows step t: none after a terminal state, the final
                // observation's value after a truncation, else the next step's value.
                let bootstrap: Float = terminated[i] ? 0 : (truncated[i] ? truncationValues[i] : nextValue)
                let delta = rewards[i] + gamma * bootstrap - values[i]
                let continues: Float = (terminated[i] || truncated[i]) ? 0 : 1
                nextAdvantage = delta + gamma * lambda * continues * nextAdvantage
                advantages[i] = nextAdvantage
                returns[i] = nextAdvantage + values[i]
                nextValue = values[i]
            }
        }
        return (advantages, returns)
    }
}
