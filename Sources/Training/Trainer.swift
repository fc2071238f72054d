import Drifts
import Environments
import Foundation
import NeuralNets
import Tensors

/// One PPO-family learner for every drift (Lu et al. 2022, Section 3): PPO, DPO, LPO and any
/// drift loaded from a file or defined in another package differ only in the `drift` passed
/// in. This file is the algorithm: `update()` reads top to bottom, rollout -> advantages ->
/// epochs x minibatches -> metrics, and `loss` is the loss with its named metrics. Storage
/// lives in `RolloutBuffer`, the parallel shard gradients in `ShardedGradient`, the choice
/// of actions in `Acting`.
///
/// State that changes (parameters, optimiser, observation statistics, random streams,
/// environments) is captured whole by `checkpoint()` and restored by `restore(_:)`, so an
/// interrupted run resumes bit-identically.
public final class Trainer {
    public let config: TrainingConfig
    public let drift: any Drift
    public let env: any EnvironmentBatch
    public let seed: UInt64
    /// Threads that compute a minibatch's shards (`config.minibatchShards` of them). Only the
    /// schedule depends on it, never the result: each shard has its own replica and the shard
    /// gradients are summed in a fixed order. 1 runs them in turn on the calling thread (an ES
    /// inner run, which already has a core to itself).
    public var shardThreads: Int {
        get { sharded.threads }
        set { sharded.threads = newValue }
    }
    /// When true, `update()` keeps a copy of its rollout in `lastRollout` (for `--save-rollouts`).
    public var recordsRollouts = false
    /// The most recent rollout, when `recordsRollouts` is on.
    public private(set) var lastRollout: RecordedRollout?
    /// Where the last `update()` spent its time (for `driftlab bench train`).
    public private(set) var lastTiming = UpdateTiming()

    public private(set) var networks: PolicyNetworks
    public private(set) var optimizer: Adam
    public private(set) var normalizer: ObservationNormalizer?
    /// Updates completed.
    public private(set) var updatesDone = 0
    /// Flat parameters (actor then critic): Adam's view of the networks.
    private var parameters: [Float]
    private var actionStream: RandomStream
    private var shuffleStream: RandomStream
    /// The rollout of the current update (RolloutBuffer.swift).
    private var rollout: RolloutBuffer
    /// Shard replicas and the summed minibatch gradient (ShardedGradient.swift).
    private let sharded = ShardedGradient(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// A trainer for `env` (which must hold `config.numEnvs` environments) with `drift`.
    public init(env: any EnvironmentBatch, drift: any Drift, config: TrainingConfig, seed: UInt64) throws {
        try config.validate()
        guard env.count == config.numEnvs else {
            throw TrainingError.invalidConfig("numEnvs: config says \(config.numEnvs) but the environment batch holds \(env.count)")
        }
        self.config = config
        self.drift = drift
        self.env = env
        self.seed = seed
        var initStream = RandomStream(seed: seed, stream: StreamID.make(.parameterInit))
        networks = try PolicyNetworks(observationSize: env.observationSize, actionSpace: env.actionSpace,
                                      config: config, rng: &initStream)
        parameters = networks.flatParameters
        optimizer = Adam(parameterCount: parameters.count, learningRate: config.learningRate, epsilon: config.adamEpsilon)
        normalizer = config.normalizeObservations ? ObservationNormalizer(size: env.observationSize) : nil
        actionStream = RandomStream(seed: seed, stream: StreamID.make(.actionSampling))
        shuffleStream = RandomStream(seed: seed, stream: StreamID.make(.minibatchShuffle))
        // Binary grids go to the networks as sparse rows (unless they are normalised, which
        // makes them dense).
        rollout = RolloutBuffer(steps: config.rolloutSteps, env: env, sparse: !config.normalizeObservations)
        env.reset()
    }

    /// Fraction of training done before the current update, `n/N` (for temporally-aware drifts
    /// and learning-rate annealing).
    public var progress: Float { Float(updatesDone) / Float(max(config.numUpdates, 1)) }

    // MARK: - One update

    /// Collects a rollout, computes advantages and runs the epochs of minibatch updates.
    /// Throws `TrainingError.nonFinite` when a loss or the gradient is NaN or infinite, before
    /// that minibatch's step (earlier minibatches of the update have already stepped:
    /// `TrainingRun` falls back to its last checkpoint).
    public func update() throws -> UpdateMetrics {
        let start = DispatchTime.now().uptimeNanoseconds
        let steps = config.rolloutSteps, envs = config.numEnvs

        // MARK: Rollout
        var finishedEpisodes: [EpisodeStatistics] = []
        for t in 0..<steps {
            collectStep(t)
            finishedEpisodes += env.drainEpisodes()
        }
        // Bootstrap values use the same observation statistics as the rollout's own values.
        let lastValues = criticValues(of: env.observations, rows: envs)
        let rolloutEnd = DispatchTime.now().uptimeNanoseconds
        if normalizer != nil {
            rollout.observations.withUnsafeBufferPointer { normalizer!.update($0, rows: steps * envs) }
        }

        // MARK: Advantages
        let (advantages, returns) = GAE(gamma: config.gamma, lambda: config.gaeLambda).compute(
            rewards: rollout.rewards, values: rollout.values, terminated: rollout.terminated, truncated: rollout.truncated,
            truncationValues: rollout.truncationValues, lastValues: lastValues)
        if recordsRollouts {
            lastRollout = rollout.recorded(update: updatesDone + 1, observationShape: env.observationShape,
                                           actionSpace: env.actionSpace, advantages: advantages, returns: returns)
        }

        // MARK: Epochs of minibatches
        let learningStart = DispatchTime.now().uptimeNanoseconds
        let learningRate = config.annealLearningRate ? config.learningRate * (1 - progress) : config.learningRate
        optimizer.learningRate = learningRate
        let driftProgress = progress, drift = self.drift, config = self.config
        var order = Array(0..<(steps * envs))
        var sums = LossMetrics.Sums()
        // The shards compute on replicas loaded from `parameters`; the trainer's own networks
        // (rollouts, callers) take the new parameters once, when the epochs end.
        defer { parameters.withUnsafeBufferPointer { networks.setFlatParameters($0) } }
        for epoch in 0..<config.epochs {
            shuffleStream.shuffle(&order)
            for m in 0..<config.minibatches {
                let batch = Array(order[m * config.minibatchSize..<(m + 1) * config.minibatchSize])
                // The shards' gradients, summed in a fixed order; then clip and take one Adam step.
                var step = sharded.compute(shards: config.minibatchShards, minibatchSize: batch.count,
                                           gather: shardGather(batch, advantages: advantages, returns: returns),
                                           parameters: parameters, networks: networks) { networks, shard, size, buffer in
                    Self.loss(networks: &networks, shard: shard, minibatchSize: size, drift: drift, progress: driftProgress,
                              config: config, reusing: buffer)
                }
                let norm = config.maxGradientNorm.map { GradientClipping.clipByGlobalNorm(&sharded.gradient, maxNorm: $0) }
                    ?? GradientClipping.globalNorm(sharded.gradient)
                let policyLoss = step["policy_loss"] ?? 0, valueLoss = step["value_loss"] ?? 0
                guard policyLoss.isFinite, valueLoss.isFinite, norm.isFinite else {
                    throw TrainingError.nonFinite("update \(updatesDone + 1), epoch \(epoch + 1), minibatch \(m + 1): "
                        + "policy loss \(policyLoss), value loss \(valueLoss), gradient norm \(norm)")
                }
                optimizer.update(&parameters, gradient: sharded.gradient)
                step.record("gradient_norm", norm)
                sums.add(step)
            }
        }
        updatesDone += 1

        // MARK: Metrics
        let end = DispatchTime.now().uptimeNanoseconds
        lastTiming = UpdateTiming(rollout: Double(rolloutEnd - start) / 1e9,
                                  advantages: Double(learningStart - rolloutEnd) / 1e9,
                                  learning: Double(end - learningStart) / 1e9)
        let seconds = Double(end - start) / 1e9
        let episodeReturns = finishedEpisodes.map(\.episodeReturn)
        var metrics = UpdateMetrics(curveValues: [
            "update": Double(updatesDone), "env_steps": Double(updatesDone * config.batchSize),
            "episode_return": episodeReturns.isEmpty ? .nan : episodeReturns.reduce(0, +) / Double(episodeReturns.count),
            "episodes_finished": Double(episodeReturns.count), "learning_rate": Double(learningRate),
            "steps_per_second": Double(config.batchSize) / seconds, "eval_return": .nan,
        ])
        for (name, mean) in sums.means { metrics[name] = mean }
        return metrics
    }

    // MARK: - The loss

    /// The PPO-family loss of one shard, backpropagated into `networks`:
    /// `L = -mean(r A - f(r, A)) - c_H mean(H) + c_V * 0.5 mean((V - R)^2)` (value clipped as
    /// configured), with every mean taken over the whole minibatch of `minibatchSize` samples,
    /// so shard gradients add up to the minibatch gradient. Returns the gradient and the named
    /// metrics (the run file's curves of the same names).
    ///
    /// `buffer` is a gradient array to reuse (the previous outcome's), so a training loop does not
    /// allocate one per minibatch.
    static func loss(networks: inout PolicyNetworks, shard: MinibatchShard, minibatchSize: Int,
                     drift: any Drift, progress: Float, config: TrainingConfig,
                     reusing buffer: [Float] = []) -> ShardedGradient.Outcome {
        let n = shard.oldLogProbs.count
        let weight = Float(n) / Float(minibatchSize)
        networks.zeroGradients()

        // Policy: the mirror objective reaches the actor through log pi(a|s).
        // Advantages arrive normalised over the whole minibatch (shardGather), not per shard.
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
            let entropyGradient = distribution.entropyGradient(weights: entropyWeights, entropy: entropy)
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

        var outcome = ShardedGradient.Outcome(gradient: buffer)
        networks.copyFlatGradient(into: &outcome.gradient)
        // Each shard's share of the minibatch means; a new curve is one more line here.
        outcome.metrics.record("policy_loss", mirror.loss * weight)
        outcome.metrics.record("value_loss", value.loss * weight)
        outcome.metrics.record("entropy", entropy.reduce(0, +) / Float(minibatchSize))
        outcome.metrics.record("approx_kl", mirror.approxKL * weight)
        outcome.metrics.record("drift_active_fraction", mirror.driftActiveFraction * weight)
        return outcome
    }

    // MARK: - Rollout pieces

    /// One environment step for all environments, stored at time `t`.
    private func collectStep(_ t: Int) {
        let envs = config.numEnvs, rowOffset = t * envs
        let input = rollout.storeObservations(at: t, of: env, normalizer: normalizer)
        let output = input.forward(&networks.actor)
        let stepValues = input.forward(&networks.critic).storage
        let choice = Acting.act(output: output, actionSpace: env.actionSpace, deterministic: false, rng: &actionStream,
                                logProbabilities: true)
        rollout.storeChoice(choice, at: t)
        env.step(choice.actions)

        var truncatedRows: [Int] = []
        for i in 0..<envs {
            rollout.values[rowOffset + i] = stepValues[i]
            rollout.rewards[rowOffset + i] = env.rewards[i] * config.rewardScale
            rollout.terminated[rowOffset + i] = env.terminated[i]
            rollout.truncated[rowOffset + i] = env.truncated[i]
            rollout.truncationValues[rowOffset + i] = 0
            if env.truncated[i] { truncatedRows.append(i) }
        }
        // A truncated episode did not end: bootstrap from the value of its final observation.
        if !truncatedRows.isEmpty {
            let size = env.observationSize
            var finals = [Float](repeating: 0, count: truncatedRows.count * size)
            let source = env.finalObservations
            for (k, i) in truncatedRows.enumerated() {
                for j in 0..<size { finals[k * size + j] = source[i * size + j] }
            }
            let finalValues = finals.withUnsafeBufferPointer { criticValues(of: $0, rows: truncatedRows.count) }
            for (k, i) in truncatedRows.enumerated() { rollout.truncationValues[rowOffset + i] = finalValues[k] }
        }
    }

    private func criticValues(of raw: UnsafeBufferPointer<Float>, rows: Int) -> [Float] {
        let size = env.observationSize
        let input = NetworkInput.normalized(raw, rows: rows, columns: size, normalizer: normalizer)
        return networks.critic.forward(Matrix(rows: rows, cols: size, storage: input)).storage
    }

    /// How to gather the `config.minibatchShards` shards of a minibatch: its advantages are
    /// normalised over the whole minibatch and the entropy noise (continuous tasks) drawn here,
    /// first, so the result does not depend on how the shards are scheduled; the samples
    /// themselves are gathered by the shard's own thread.
    private func shardGather(_ batch: [Int], advantages: [Float], returns: [Float]) -> ShardedGradient.ShardGather {
        var minibatchAdvantages = batch.map { advantages[$0] }
        if config.normalizeAdvantages { minibatchAdvantages = MirrorObjective.normalized(minibatchAdvantages) }
        var dim = 0
        var noise = Matrix(rows: 0, cols: 0)
        if case .continuous(let d, _, _) = env.actionSpace {
            dim = d
            noise = Matrix(rows: batch.count, cols: d)
            actionStream.fillNormal(&noise.storage)
        }
        let rollout = self.rollout, count = config.minibatchShards, normalizer = self.normalizer
        let advantagesOfBatch = minibatchAdvantages
        return { s in
            rollout.shard(s, of: count, batch: batch, advantages: advantagesOfBatch, returns: returns,
                          entropyNoise: noise, actionDimension: dim, normalizer: normalizer)
        }
    }
}

/// Wall-clock seconds of one update's phases.
public struct UpdateTiming: Sendable, Equatable {
    /// Acting and stepping the environments, bootstrap values included.
    public var rollout: Double = 0
    /// Observation statistics and GAE.
    public var advantages: Double = 0
    /// The epochs of minibatch gradients and optimiser steps.
    public var learning: Double = 0
    public init(rollout: Double = 0, advantages: Double = 0, learning: Double = 0) {
        self.rollout = rollout; self.advantages = advantages; self.learning = learning
    }
    public static func + (a: Self, b: Self) -> Self {
        Self(rollout: a.rollout + b.rollout, advantages: a.advantages + b.advantages, learning: a.learning + b.learning)
    }
}

// MARK: - Checkpoints

/// Everything that changes during training, at an update boundary. Restoring it into a
/// trainer built from the same config, drift, environment and seed continues bit-identically.
public struct TrainerCheckpoint: Sendable, Codable, Equatable {
    /// Updates completed.
    public var updatesDone: Int
    /// Flat parameters, actor then critic.
    public var parameters: [Float]
    public var optimizer: Adam
    public var normalizer: ObservationNormalizer?
    public var actionStream: RandomStream
    public var shuffleStream: RandomStream
    /// The vector environment's own snapshot (`EnvironmentBatch.encodedSnapshot()`).
    public var environment: Data
}

extension Trainer {
    /// The current state, for a checkpoint.
    public func checkpoint() throws -> TrainerCheckpoint {
        TrainerCheckpoint(updatesDone: updatesDone, parameters: parameters, optimizer: optimizer, normalizer: normalizer,
                          actionStream: actionStream, shuffleStream: shuffleStream,
                          environment: try env.encodedSnapshot())
    }

    /// Continues from `state`; throws when it does not fit this trainer.
    public func restore(_ state: TrainerCheckpoint) throws {
        guard state.parameters.count == parameters.count, state.optimizer.parameterCount == parameters.count else {
            throw TrainingError.invalidConfig("checkpoint has \(state.parameters.count) parameters, the networks have \(parameters.count)")
        }
        guard (state.normalizer == nil) == (normalizer == nil), state.normalizer.map({ $0.size == env.observationSize }) ?? true else {
            throw TrainingError.invalidConfig("checkpoint's observation normaliser does not match the config")
        }
        try env.restore(encodedSnapshot: state.environment)
        updatesDone = state.updatesDone
        parameters = state.parameters
        networks.flatParameters = parameters
        optimizer = state.optimizer
        normalizer = state.normalizer
        actionStream = state.actionStream
        shuffleStream = state.shuffleStream
    }
}
