import Environments
import NeuralNets
import Tensors

/// The actor and the critic: separate MLPs on the (flattened) observation.
///
/// The actor outputs logits `[batch, n]` for discrete actions, or `(loc, raw_scale)`
/// `[batch, 2d]` for the tanh-squashed Normal of continuous actions; the critic one value.
/// Flat parameter vectors list the actor's parameters, then the critic's.
public struct PolicyNetworks: Sendable {
    public var actor: MLP
    public var critic: MLP
    public let actionSpace: ActionSpace

    /// Fresh networks for a task, initialised as the config says: orthogonal (gain sqrt 2 on
    /// hidden layers, 0.01 on the policy head, 1 on the value head, zero biases) or
    /// lecun-uniform (Brax).
    public init(observationSize: Int, actionSpace: ActionSpace, config: TrainingConfig, rng: inout RandomStream) throws {
        let activation = config.activation.activation
        let outputs: Int
        switch actionSpace {
        case .discrete(let count): outputs = count
        case .continuous(let dim, _, _): outputs = 2 * dim
        }
        let hidden: Initializer, policyHead: Initializer, valueHead: Initializer
        switch config.initialisation {
        case .orthogonal:
            hidden = .orthogonal(gain: Float(2).squareRoot())
            policyHead = .orthogonal(gain: 0.01)
            valueHead = .orthogonal(gain: 1)
        case .lecunUniform:
            hidden = .lecunUniform
            policyHead = .lecunUniform
            valueHead = .lecunUniform
        }
        actor = MLP(sizes: [observationSize] + config.actorHidden + [outputs], hiddenActivation: activation,
                    kernelInitializer: hidden, outputInitializer: policyHead, rng: &rng)
        critic = MLP(sizes: [observationSize] + config.criticHidden + [1], hiddenActivation: activation,
                     kernelInitializer: hidden, outputInitializer: valueHead, rng: &rng)
        self.actionSpace = actionSpace
    }

    /// Actor parameters then critic parameters.
    public var parameterCount: Int { actor.parameterCount + critic.parameterCount }

    /// All parameters, actor first.
    public var flatParameters: [Float] {
        get { actor.flatParameters + critic.flatParameters }
        set { newValue.withUnsafeBufferPointer { setFlatParameters($0) } }
    }

    /// Loads all parameters, actor first, from a buffer of `parameterCount` elements.
    public mutating func setFlatParameters(_ flat: UnsafeBufferPointer<Float>) {
        precondition(flat.count == parameterCount, "expected \(parameterCount) parameters, got \(flat.count)")
        actor.setFlatParameters(UnsafeBufferPointer(rebasing: flat[..<actor.parameterCount]))
        critic.setFlatParameters(UnsafeBufferPointer(rebasing: flat[actor.parameterCount...]))
    }

    /// Writes all accumulated gradients, actor first, into `flat` (resized to `parameterCount`
    /// only when it has another size, so a reused buffer is not reallocated).
    public func copyFlatGradient(into flat: inout [Float]) {
        if flat.count != parameterCount { flat = [Float](repeating: 0, count: parameterCount) }
        flat.withUnsafeMutableBufferPointer { out in
            actor.copyFlatGradient(into: UnsafeMutableBufferPointer(rebasing: out[..<actor.parameterCount]))
            critic.copyFlatGradient(into: UnsafeMutableBufferPointer(rebasing: out[actor.parameterCount...]))
        }
    }

    public mutating func zeroGradients() {
        actor.zeroGradients()
        critic.zeroGradients()
    }
}
