import Environments
import NeuralNets
import Tensors

/// The actor's choice for one step of a batch of environments: what the environments
/// receive, and what training keeps to re-evaluate the policy later.
public struct ActorChoice {
    /// The actions as the environments take them (continuous ones scaled onto the bounds).
    public var actions: ActionBatch
    /// Discrete actions `[N]` (empty for continuous tasks).
    public var discrete: [Int]
    /// Pre-tanh samples `[N, dim]` of a sampled continuous choice (nil otherwise).
    public var preTanh: Matrix?
    /// `log pi(a|s)` `[N]`, when asked for (empty otherwise).
    public var logProbs: [Float]
}

/// Choosing actions from the actor's output, shared by training and evaluation (as Brax's
/// acting module), so sampling and the action scaling are written once.
public enum Acting {
    /// Actions for the batch whose actor output is `output` (logits `[N, n]`, or `(loc, raw
    /// scale)` `[N, 2d]`): sampled from `rng`, or the distribution's mode when
    /// `deterministic`; with `logProbabilities` also `log pi(a|s)` of the choice.
    public static func act(output: Matrix, actionSpace: ActionSpace, deterministic: Bool, rng: inout RandomStream,
                           logProbabilities: Bool) -> ActorChoice {
        switch actionSpace {
        case .discrete:
            let distribution = CategoricalDistribution(logits: output)
            let actions = deterministic ? distribution.mode : distribution.sample(rng: &rng)
            return ActorChoice(actions: .discrete(actions.map { Int32($0) }), discrete: actions, preTanh: nil,
                               logProbs: logProbabilities ? distribution.logProbability(of: actions) : [])
        case .continuous:
            let distribution = TanhNormalDistribution(parameters: output)
            if deterministic {
                precondition(!logProbabilities, "the mode of a tanh-Normal has no pre-tanh sample to score")
                return ActorChoice(actions: .continuous(actionSpace.scaled(fromSquashed: distribution.mode.storage)),
                                   discrete: [], preTanh: nil, logProbs: [])
            }
            let (u, squashed) = distribution.sample(rng: &rng)
            return ActorChoice(actions: .continuous(actionSpace.scaled(fromSquashed: squashed.storage)), discrete: [],
                               preTanh: u, logProbs: logProbabilities ? distribution.logProbability(ofPreTanh: u) : [])
        }
    }
}
