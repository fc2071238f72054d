import Drifts
import Environments
import Foundation
import NeuralNets
import Tensors

/// One PPO-family learner for every drift (Lu et al. 2022, Section 3): PPO, DPO, LPO and any
/// drift loaded from a file differ only in the `drift` passed in. `update()` reads top to
/// bottom: rollout -> advantages -> epochs x minibatches -> metrics.
///
/// State that changes (parameters, optimiser, observation statistics, random streams,
/// environments) is captured whole by `checkpoint()` and restored by `restore(_:)`, so an
/// interrupted run resumes bit-identically.
public final class Trainer {
    public let config: TrainingConfig
    public let drift: any Drift
    public let env: any VectorEnv
    public let seed: UInt64

    public private(set) var networks: PolicyNetworks
    public private(set) var optimizer: Adam
    public private(set) var normalizer: ObservationNormalizer?
    /// Updates completed.
    public private(set) var updatesDone = 0
    /// Flat parameters (actor then critic): Adam's view of the networks.
    private var parameters: [Float]
    private var actionStream: RandomStream
    private var shuffleStream: RandomStream

    // MARK: Rollout storage, time-major [T, N, ...]
    private let steps: Int, envs: Int, observationSize: Int
    /// Raw observations `[T, N, obs]` (dense path) ...
    private var observations: [Float]
    /// ... or, for binary grids (MinAtar), the set cells of each sample: sample `s` has
    /// `sparseIndices[sparseStart[s] ..< sparseStart[s] + sparseCount[s]]`.
    private let grid: GridVectorEnv?
    private var sparseIndices: [Int32] = [], sparseStart: [Int32] = [], sparseCount: [Int32] = []
    private var stepOffsets: [Int32] = []
    private var discreteActions: [Int32]
    private var preTanhActions: [Float]
    private var logProbs: [Float], values: [Float], rewards: [Float], truncationValues: [Float]
    private var terminated: [Bool], truncated: [Bool]

    /// A trainer for `env` (which must hold `config.numEnvs` environments) with `drift`.
    public init(env: any VectorEnv, drift: any Drift, config: TrainingConfig, seed: UInt64) throws {
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

        steps = config.rolloutSteps
        envs = config.numEnvs
        observationSize = env.observationSize
        let samples = steps * envs
        // Binary grids go to the networks as sparse rows (unless they are normalised, which
        // makes them dense).
        grid = config.normalizeObservations ? nil : env as? GridVectorEnv
        if let grid {
            observations = []
            sparseIndices = [Int32](repeating: 0, count: samples * grid.maximumActiveCells)
            sparseStart = [Int32](repeating: 0, count: samples)
            sparseCount = sparseStart
            stepOffsets = [Int32](repeating: 0, count: envs + 1)
        } else {
            observations = [Float](repeating: 0, count: samples * observationSize)
        }
        discreteActions = [Int32](repeating: 0, count: samples)
        if case .continuous(let dim, _, _) = env.actionSpace {
            preTanhActions = [Float](repeating: 0, count: samples * dim)
        } else {
            preTanhActions = []
        }
        logProbs = [Float](repeating: 0, count: samples)
        values = logProbs
        rewards = logProbs
        truncationValues = logProbs
        terminated = [Bool](repeating: false, count: samples)
        truncated = terminated
        env.reset()
    }

    /// Fraction of training done before the current update, `n/N` (for temporally-aware drifts
    /// and learning-rate annealing).
    public var progress: Float { Float(updatesDone) / Float(max(config.numUpdates, 1)) }

    // MARK: - One update

    /// Collects a rollout, computes advantages and runs the epochs of minibatch updates.
    /// Throws `TrainingError.nonFinite` (before changing any parameter) when a loss or the
    /// gradient is NaN or infinite.
    public func update() throws -> UpdateMetrics {
        let start = DispatchTime.now().uptimeNanoseconds

        // MARK: Rollout
        var finishedEpisodes: [EpisodeStatistics] = []
        for t in 0..<steps {
            collectStep(t)
            finishedEpisodes += env.drainEpisodes()
        }
        if normalizer != nil {
            observations.withUnsafeBufferPointer { normalizer!.update($0, rows: steps * envs) }
        }
        let lastValues = criticValues(of: env.observations, rows: envs)

        // MARK: Advantages
        let (advantages, returns) = GAE(gamma: config.gamma, lambda: config.gaeLambda).compute(
            rewards: rewards, values: values, terminated: terminated, truncated: truncated,
            truncationValues: truncationValues, lastValues: lastValues)

        // MARK: Epochs of minibatches
        let learningRate = config.annealLearningRate ? config.learningRate * (1 - progress) : config.learningRate
        optimizer.learningRate = learningRate
        let objective = MirrorObjective(normalizeAdvantages: config.normalizeAdvantages)
        let valueLoss = ValueLoss(coefficient: config.valueCoefficient, clipRange: config.valueClip)
        let driftProgress = progress
        var order = Array(0..<(steps * envs))
        var sums = MinibatchSums()
        for epoch in 0..<config.epochs {
            shuffleStream.shuffle(&order)
            for m in 0..<config.minibatches {
                let batch = Array(order[m * config.minibatchSize..<(m + 1) * config.minibatchSize])
                let input = minibatchInput(batch)
                networks.zeroGradients()

                // Policy: the mirror objective's gradient reaches the actor through log pi.
                let policy = policyLossAndBackward(batch: batch, input: input, advantages: advantages,
                                                   objective: objective, progress: driftProgress)
                // Critic.
                let predicted = input.forward(&networks.critic)
                let value = valueLoss.evaluate(values: predicted.storage, returns: batch.map { returns[$0] },
                                               oldValues: batch.map { values[$0] })
                networks.critic.backward(Matrix(rows: batch.count, cols: 1, storage: value.gradient))

                var gradient = networks.flatGradient
                let norm = config.maxGradientNorm.map { GradientClipping.clipByGlobalNorm(&gradient, maxNorm: $0) }
                    ?? GradientClipping.globalNorm(gradient)
                guard policy.loss.isFinite, value.loss.isFinite, norm.isFinite else {
                    throw TrainingError.nonFinite("update \(updatesDone + 1), epoch \(epoch + 1), minibatch \(m + 1): "
                        + "policy loss \(policy.loss), value loss \(value.loss), gradient norm \(norm)")
                }
                optimizer.update(&parameters, gradient: gradient)
                networks.flatParameters = parameters
                sums.add(policy: policy, valueLoss: value.loss, gradientNorm: norm)
            }
        }
        updatesDone += 1

        // MARK: Metrics
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let returns_ = finishedEpisodes.map(\.episodeReturn)
        return UpdateMetrics(
            update: updatesDone, envSteps: updatesDone * config.batchSize,
            episodeReturn: returns_.isEmpty ? .nan : returns_.reduce(0, +) / Double(returns_.count),
            episodesFinished: returns_.count, entropy: sums.mean(\.entropy), policyLoss: sums.mean(\.policyLoss),
            valueLoss: sums.mean(\.valueLoss), approxKL: sums.mean(\.approxKL),
            driftActiveFraction: sums.mean(\.driftActive), learningRate: Double(learningRate),
            gradientNorm: sums.mean(\.gradientNorm), stepsPerSecond: Double(config.batchSize) / seconds)
    }

    // MARK: - Rollout pieces

    /// One environment step for all environments, stored at time `t`.
    private func collectStep(_ t: Int) {
        let rowOffset = t * envs
        let input = storeObservations(t)
        let output = input.forward(&networks.actor)
        let stepValues = input.forward(&networks.critic).storage

        switch env.actionSpace {
        case .discrete:
            let distribution = CategoricalDistribution(logits: output)
            let actions = distribution.sample(rng: &actionStream)
            let lp = distribution.logProbability(of: actions)
            for i in 0..<envs {
                discreteActions[rowOffset + i] = Int32(actions[i])
                logProbs[rowOffset + i] = lp[i]
            }
            (env as! DiscreteVectorEnv).step(actions: discreteActions[rowOffset..<rowOffset + envs].map { $0 })
        case .continuous(let dim, let low, let high):
            let distribution = TanhNormalDistribution(parameters: output)
            let (u, squashed) = distribution.sample(rng: &actionStream)
            let lp = distribution.logProbability(ofPreTanh: u)
            var scaled = [Float](repeating: 0, count: envs * dim)
            for k in 0..<(envs * dim) {
                preTanhActions[rowOffset * dim + k] = u.storage[k]
                // tanh(u) in [-1, 1] mapped affinely onto the task's bounds.
                scaled[k] = low + (squashed.storage[k] + 1) * 0.5 * (high - low)
            }
            for i in 0..<envs { logProbs[rowOffset + i] = lp[i] }
            (env as! ContinuousVectorEnv).step(actions: scaled)
        }

        var truncatedRows: [Int] = []
        for i in 0..<envs {
            values[rowOffset + i] = stepValues[i]
            rewards[rowOffset + i] = env.rewards[i] * config.rewardScale
            terminated[rowOffset + i] = env.terminated[i]
            truncated[rowOffset + i] = env.truncated[i]
            truncationValues[rowOffset + i] = 0
            if env.truncated[i] { truncatedRows.append(i) }
        }
        // A truncated episode did not end: bootstrap from the value of its final observation.
        if !truncatedRows.isEmpty {
            var finals = [Float](repeating: 0, count: truncatedRows.count * observationSize)
            let source = env.finalObservations
            for (k, i) in truncatedRows.enumerated() {
                for j in 0..<observationSize { finals[k * observationSize + j] = source[i * observationSize + j] }
            }
            let finalValues = finals.withUnsafeBufferPointer { criticValues(of: $0, rows: truncatedRows.count) }
            for (k, i) in truncatedRows.enumerated() { truncationValues[rowOffset + i] = finalValues[k] }
        }
    }

    /// Observations as the networks see them: normalised when the config says so.
    private func networkInput(_ raw: UnsafeBufferPointer<Float>, rows: Int) -> [Float] {
        var input = [Float](repeating: 0, count: rows * observationSize)
        input.withUnsafeMutableBufferPointer { out in
            if let normalizer {
                normalizer.normalize(UnsafeBufferPointer(rebasing: raw[0..<rows * observationSize]), into: out, rows: rows)
            } else {
                _ = out.initialize(from: UnsafeBufferPointer(rebasing: raw[0..<rows * observationSize]))
            }
        }
        return input
    }

    private func criticValues(of raw: UnsafeBufferPointer<Float>, rows: Int) -> [Float] {
        let input = networkInput(raw, rows: rows)
        return networks.critic.forward(Matrix(rows: rows, cols: observationSize, storage: input)).storage
    }

    // MARK: - Minibatch pieces

    /// Stores the current observations at time `t` and returns them as network input.
    private func storeObservations(_ t: Int) -> NetworkInput {
        let rowOffset = t * envs
        if let grid {
            let block = rowOffset * grid.maximumActiveCells
            sparseIndices.withUnsafeMutableBufferPointer { all in
                stepOffsets.withUnsafeMutableBufferPointer { offsets in
                    let region = UnsafeMutableBufferPointer(rebasing: all[block..<block + envs * grid.maximumActiveCells])
                    _ = grid.writeSparseObservations(indices: region, rowOffsets: offsets)
                }
            }
            for i in 0..<envs {
                sparseStart[rowOffset + i] = Int32(block) + stepOffsets[i]
                sparseCount[rowOffset + i] = stepOffsets[i + 1] - stepOffsets[i]
            }
            let used = Int(stepOffsets[envs])
            return .sparse(SparseBinaryRows(columns: observationSize, rowOffsets: stepOffsets,
                                            indices: Array(sparseIndices[block..<block + used])))
        }
        let current = env.observations
        observations.withUnsafeMutableBufferPointer { store in
            _ = UnsafeMutableBufferPointer(rebasing: store[rowOffset * observationSize..<(rowOffset + envs) * observationSize])
                .initialize(from: current)
        }
        return .dense(networkInput(current, rows: envs), rows: envs, columns: observationSize)
    }

    /// The minibatch's observations as network input.
    private func minibatchInput(_ batch: [Int]) -> NetworkInput {
        if grid != nil {
            var offsets = [Int32](repeating: 0, count: batch.count + 1)
            var indices: [Int32] = []
            indices.reserveCapacity(batch.reduce(0) { $0 + Int(sparseCount[$1]) })
            for (k, sample) in batch.enumerated() {
                let start = Int(sparseStart[sample])
                indices += sparseIndices[start..<start + Int(sparseCount[sample])]
                offsets[k + 1] = Int32(indices.count)
            }
            return .sparse(SparseBinaryRows(columns: observationSize, rowOffsets: offsets, indices: indices))
        }
        var raw = [Float](repeating: 0, count: batch.count * observationSize)
        observations.withUnsafeBufferPointer { all in
            raw.withUnsafeMutableBufferPointer { out in
                for (k, sample) in batch.enumerated() {
                    let src = all.baseAddress! + sample * observationSize
                    (out.baseAddress! + k * observationSize).update(from: src, count: observationSize)
                }
            }
        }
        return .dense(raw.withUnsafeBufferPointer { networkInput($0, rows: batch.count) }, rows: batch.count,
                      columns: observationSize)
    }

    /// Observations on their way into a network: dense rows, or sparse binary rows.
    enum NetworkInput {
        case dense([Float], rows: Int, columns: Int)
        case sparse(SparseBinaryRows)

        var rows: Int {
            switch self {
            case .dense(_, let rows, _): return rows
            case .sparse(let x): return x.rows
            }
        }

        func forward(_ network: inout MLP) -> Matrix {
            switch self {
            case .dense(let values, let rows, let columns): return network.forward(Matrix(rows: rows, cols: columns, storage: values))
            case .sparse(let x): return network.forward(sparse: x)
            }
        }
    }

    struct PolicyStep {
        var loss: Float, entropy: Float, approxKL: Float, driftActive: Float
    }

    /// Evaluates the policy loss `-mean(r A - f) - c_H mean(H)` on a minibatch and
    /// backpropagates it into the actor's gradients; reports the mirror part as the loss.
    private func policyLossAndBackward(batch: [Int], input: NetworkInput, advantages: [Float],
                                       objective: MirrorObjective, progress: Float) -> PolicyStep {
        let n = batch.count
        let output = input.forward(&networks.actor)
        let oldLogProbs = batch.map { logProbs[$0] }
        let sampleAdvantages = batch.map { advantages[$0] }
        let entropyWeights = [Float](repeating: -config.entropyCoefficient / Float(n), count: n)
        var outputGradient: Matrix
        var newLogProbs: [Float], entropy: [Float]
        var mirror: MirrorObjective.Output
        switch env.actionSpace {
        case .discrete:
            let distribution = CategoricalDistribution(logits: output)
            let actions = batch.map { Int(discreteActions[$0]) }
            newLogProbs = distribution.logProbability(of: actions)
            entropy = distribution.entropy()
            mirror = objective.evaluate(logProbs: newLogProbs, oldLogProbs: oldLogProbs, advantages: sampleAdvantages,
                                        drift: drift, progress: progress)
            outputGradient = distribution.logProbabilityGradient(of: actions, weights: mirror.logProbGradient)
            let entropyGradient = distribution.entropyGradient(weights: entropyWeights)
            for k in outputGradient.storage.indices { outputGradient.storage[k] += entropyGradient.storage[k] }
        case .continuous(let dim, _, _):
            let distribution = TanhNormalDistribution(parameters: output)
            var u = Matrix(rows: n, cols: dim)
            for (k, sample) in batch.enumerated() {
                for j in 0..<dim { u[k, j] = preTanhActions[sample * dim + j] }
            }
            newLogProbs = distribution.logProbability(ofPreTanh: u)
            // Brax's entropy: a fresh reparameterised sample per minibatch.
            let noise = distribution.sampleNoise(rng: &actionStream)
            entropy = distribution.entropy(noise: noise)
            mirror = objective.evaluate(logProbs: newLogProbs, oldLogProbs: oldLogProbs, advantages: sampleAdvantages,
                                        drift: drift, progress: progress)
            outputGradient = distribution.logProbabilityGradient(ofPreTanh: u, weights: mirror.logProbGradient)
            let entropyGradient = distribution.entropyGradient(noise: noise, weights: entropyWeights)
            for k in outputGradient.storage.indices { outputGradient.storage[k] += entropyGradient.storage[k] }
        }
        networks.actor.backward(outputGradient)
        let meanEntropy = entropy.reduce(0, +) / Float(n)
        return PolicyStep(loss: mirror.loss, entropy: meanEntropy,
                          approxKL: mirror.approxKL, driftActive: mirror.driftActiveFraction)
    }

    struct MinibatchSums {
        var count = 0.0
        var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, approxKL = 0.0, driftActive = 0.0, gradientNorm = 0.0
        mutating func add(policy: PolicyStep, valueLoss v: Float, gradientNorm g: Float) {
            count += 1
            policyLoss += Double(policy.loss)
            valueLoss += Double(v)
            entropy += Double(policy.entropy)
            approxKL += Double(policy.approxKL)
            driftActive += Double(policy.driftActive)
            gradientNorm += Double(g)
        }
        func mean(_ field: KeyPath<MinibatchSums, Double>) -> Double { self[keyPath: field] / max(count, 1) }
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
    /// The vector environment's own snapshot (`VectorEnv.encodedSnapshot()`).
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
        guard (state.normalizer == nil) == (normalizer == nil), state.normalizer.map({ $0.size == observationSize }) ?? true else {
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
