import Drifts
import Environments
import NeuralNets
import Tensors

/// The samples of one minibatch shard, gathered from the rollout.
struct MinibatchShard {
    /// Observations as network input.
    var input: NetworkInput
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
