import Drifts
import Environments
import NeuralNets
import Tensors

/// The samples of one minibatch shard, gathered from the rollout.
struct MinibatchShard {
    /// Observations as network input.
    var input: Trainer.NetworkInput
    /// Discrete actions `[n]` (empty for continuous tasks).
    var actions: [Int]
    /// Pre-tanh actions `[n, dim]` (continuous tasks).
    var preTanh: Matrix
    var oldLogProbs: [Float]
    /// Advantages, already normalised over the whole minibatch.
    var advantages: [Float]
    var returns: [Float]
    var oldValues: [Float]
    /// Noise `[n, dim]` for the sampled tanh-Normal entropy estimate (continuous tasks).
    var entropyNoise: Matrix
}

/// A shard's contribution: its gradient (already weighted by its share of the minibatch)
/// and its share of the metrics.
struct ShardOutcome {
    var gradient: [Float] = []
    var policyLoss: Float = 0, valueLoss: Float = 0, entropy: Float = 0, approxKL: Float = 0, driftActive: Float = 0
}

/// The PPO-family loss of one shard, backpropagated into `networks`:
/// `L = -mean(r A - f(r, A)) - c_H mean(H) + c_V * 0.5 mean((V - R)^2)` (value clipped as
/// configured), with every mean taken over the whole minibatch of `minibatchSize` samples,
/// so shard gradients add up to the minibatch gradient.
///
/// `buffer` is a gradient array to reuse (the previous outcome's), so a training loop does not
/// allocate one per minibatch.
func shardLossAndGradient(networks: inout PolicyNetworks, shard: MinibatchShard, minibatchSize: Int,
                          drift: any Drift, progress: Float, config: TrainingConfig,
                          reusing buffer: [Float] = []) -> ShardOutcome {
    let n = shard.oldLogProbs.count
    let weight = Float(n) / Float(minibatchSize)
    networks.zeroGradients()

    // Policy: the mirror objective reaches the actor through log pi(a|s).
    let objective = MirrorObjective(normalizeAdvantages: false)
    let output = shard.input.forward(&networks.actor)
    let entropyWeights = [Float](repeating: -config.entropyCoefficient / Float(minibatchSize), count: n)
    var outputGradient: Matrix
    var entropy: [Float]
    var mirror: MirrorObjective.Output
    switch networks.actionSpace {
    case .discrete:
        let distribution = CategoricalDistribution(logits: output)
        let logProbs = distribution.logProbability(of: shard.actions)
        entropy = distribution.entropy()
        mirror = objective.evaluate(logProbs: logProbs, oldLogProbs: shard.oldLogProbs, advantages: shard.advantages,
                                    drift: drift, progress: progress)
        outputGradient = distribution.logProbabilityGradient(of: shard.actions, weights: mirror.logProbGradient.map { $0 * weight })
        let entropyGradient = distribution.entropyGradient(weights: entropyWeights)
        for k in outputGradient.storage.indices { outputGradient.storage[k] += entropyGradient.storage[k] }
    case .continuous:
        let distribution = TanhNormalDistribution(parameters: output)
        let logProbs = distribution.logProbability(ofPreTanh: shard.preTanh)
        entropy = distribution.entropy(noise: shard.entropyNoise)
        mirror = objective.evaluate(logProbs: logProbs, oldLogProbs: shard.oldLogProbs, advantages: shard.advantages,
                                    drift: drift, progress: progress)
        outputGradient = distribution.logProbabilityGradient(ofPreTanh: shard.preTanh,
                                                             weights: mirror.logProbGradient.map { $0 * weight })
        let entropyGradient = distribution.entropyGradient(noise: shard.entropyNoise, weights: entropyWeights)
        for k in outputGradient.storage.indices { outputGradient.storage[k] += entropyGradient.storage[k] }
    }
    networks.actor.backward(outputGradient)

    // Critic.
    let predicted = shard.input.forward(&networks.critic)
    let value = ValueLoss(coefficient: config.valueCoefficient, clipRange: config.valueClip)
        .evaluate(values: predicted.storage, returns: shard.returns, oldValues: shard.oldValues)
    networks.critic.backward(Matrix(rows: n, cols: 1, storage: value.gradient.map { $0 * weight }))

    var gradient = buffer
    networks.copyFlatGradient(into: &gradient)
    return ShardOutcome(gradient: gradient, policyLoss: mirror.loss * weight, valueLoss: value.loss * weight,
                        entropy: entropy.reduce(0, +) / Float(minibatchSize), approxKL: mirror.approxKL * weight,
                        driftActive: mirror.driftActiveFraction * weight)
}
