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
    /// Threads that compute a minibatch's shards (`config.minibatchShards` of them). Only the
    /// schedule depends on it, never the result: each shard has its own replica and the shard
    /// gradients are summed in a fixed order. 1 runs them in turn on the calling thread (an ES
    /// inner run, which already has a core to itself).
    public var shardThreads = ProcessInfo.processInfo.activeProcessorCount
    /// When true, `update()` keeps a copy of its rollout in `lastRollout` (for `--save-rollouts`).
    public var recordsRollouts = false
    /// The most recent rollout, when `recordsRollouts` is on.
    public private(set) var lastRollout: RecordedRollout?

    public private(set) var networks: PolicyNetworks
    public private(set) var optimizer: Adam
    public private(set) var normalizer: ObservationNormalizer?
    /// Updates completed.
    public private(set) var updatesDone = 0
    /// Flat parameters (actor then critic): Adam's view of the networks.
    private var parameters: [Float]
    private var actionStream: RandomStream
    private var shuffleStream: RandomStream
    /// Network copies for the parallel minibatch shards.
    private var replicas: [Replica] = []
    /// The minibatch gradient (the sum of the shards'), reused across minibatches.
    private var gradient: [Float] = []

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
    /// Throws `TrainingError.nonFinite` when a loss or the gradient is NaN or infinite, before
    /// that minibatch's step (earlier minibatches of the update have already stepped:
    /// `TrainingRun` falls back to its last checkpoint).
    public func update() throws -> UpdateMetrics {
        let start = DispatchTime.now().uptimeNanoseconds

        // MARK: Rollout
        var finishedEpisodes: [EpisodeStatistics] = []
        for t in 0..<steps {
            collectStep(t)
            finishedEpisodes += env.drainEpisodes()
        }
        // Bootstrap values use the same observation statistics as the rollout's own values.
        let lastValues = criticValues(of: env.observations, rows: envs)
        if normalizer != nil {
            observations.withUnsafeBufferPointer { normalizer!.update($0, rows: steps * envs) }
        }

        // MARK: Advantages
        let (advantages, returns) = GAE(gamma: config.gamma, lambda: config.gaeLambda).compute(
            rewards: rewards, values: values, terminated: terminated, truncated: truncated,
            truncationValues: truncationValues, lastValues: lastValues)
        if recordsRollouts { lastRollout = recordRollout(advantages: advantages, returns: returns) }

        // MARK: Epochs of minibatches
        let learningRate = config.annealLearningRate ? config.learningRate * (1 - progress) : config.learningRate
        optimizer.learningRate = learningRate
        let driftProgress = progress
        var order = Array(0..<(steps * envs))
        var sums = MinibatchSums()
        for epoch in 0..<config.epochs {
            shuffleStream.shuffle(&order)
            for m in 0..<config.minibatches {
                let batch = Array(order[m * config.minibatchSize..<(m + 1) * config.minibatchSize])
                let shards = makeShards(batch, advantages: advantages, returns: returns)
                let outcomes = computeShards(shards, progress: driftProgress)

                // Sum the shard gradients in a fixed order, clip, and take one Adam step.
                sumGradients(outcomes)
                let step = outcomes.reduce(into: ShardOutcome()) { total, o in
                    total.policyLoss += o.policyLoss; total.valueLoss += o.valueLoss; total.entropy += o.entropy
                    total.approxKL += o.approxKL; total.driftActive += o.driftActive
                }
                let norm = config.maxGradientNorm.map { GradientClipping.clipByGlobalNorm(&gradient, maxNorm: $0) }
                    ?? GradientClipping.globalNorm(gradient)
                guard step.policyLoss.isFinite, step.valueLoss.isFinite, norm.isFinite else {
                    throw TrainingError.nonFinite("update \(updatesDone + 1), epoch \(epoch + 1), minibatch \(m + 1): "
                        + "policy loss \(step.policyLoss), value loss \(step.valueLoss), gradient norm \(norm)")
                }
                optimizer.update(&parameters, gradient: gradient)
                parameters.withUnsafeBufferPointer { networks.setFlatParameters($0) }
                sums.add(step, gradientNorm: norm)
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

    /// A copy of the current rollout's arrays, observations as dense rows.
    private func recordRollout(advantages: [Float], returns: [Float]) -> RecordedRollout {
        var dense = observations
        if grid != nil {
            dense = [Float](repeating: 0, count: steps * envs * observationSize)
            for sample in 0..<(steps * envs) {
                let start = Int(sparseStart[sample])
                for k in start..<start + Int(sparseCount[sample]) {
                    dense[sample * observationSize + Int(sparseIndices[k])] = 1
                }
            }
        }
        var actionShape = [steps, envs]
        if case .continuous(let dim, _, _) = env.actionSpace { actionShape.append(dim) }
        return RecordedRollout(update: updatesDone + 1, steps: steps, envs: envs, observationShape: env.observationShape,
                               observations: dense, discreteActions: preTanhActions.isEmpty ? discreteActions : [],
                               preTanhActions: preTanhActions, actionShape: actionShape, rewards: rewards,
                               terminated: terminated, truncated: truncated, logProbs: logProbs, values: values,
                               advantages: advantages, returns: returns)
    }

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

    /// Splits a minibatch into `config.minibatchShards` shards, normalising its advantages
    /// over the whole minibatch and drawing the entropy noise (continuous tasks) first, so the
    /// result does not depend on how the shards are scheduled.
    private func makeShards(_ batch: [Int], advantages: [Float], returns: [Float]) -> [MinibatchShard] {
        var minibatchAdvantages = batch.map { advantages[$0] }
        if config.normalizeAdvantages { minibatchAdvantages = MirrorObjective.normalized(minibatchAdvantages) }
        var dim = 0
        var noise = Matrix(rows: 0, cols: 0)
        if case .continuous(let d, _, _) = env.actionSpace {
            dim = d
            noise = Matrix(rows: batch.count, cols: d)
            actionStream.fillNormal(&noise.storage)
        }
        let count = config.minibatchShards
        return (0..<count).map { s in
            let range = (s * batch.count / count)..<((s + 1) * batch.count / count)
            let samples = Array(batch[range])
            var preTanh = Matrix(rows: dim > 0 ? samples.count : 0, cols: dim)
            var shardNoise = preTanh
            for (k, sample) in samples.enumerated() where dim > 0 {
                for j in 0..<dim {
                    preTanh[k, j] = preTanhActions[sample * dim + j]
                    shardNoise[k, j] = noise[range.lowerBound + k, j]
                }
            }
            return MinibatchShard(input: minibatchInput(samples),
                                  actions: dim > 0 ? [] : samples.map { Int(discreteActions[$0]) },
                                  preTanh: preTanh, oldLogProbs: samples.map { logProbs[$0] },
                                  advantages: Array(minibatchAdvantages[range]), returns: samples.map { returns[$0] },
                                  oldValues: samples.map { values[$0] }, entropyNoise: shardNoise)
        }
    }

    /// Each shard's gradient on its own replica of the networks, in parallel.
    private func computeShards(_ shards: [MinibatchShard], progress: Float) -> [ShardOutcome] {
        while replicas.count < shards.count { replicas.append(Replica(networks: networks)) }
        let minibatchSize = shards.reduce(0) { $0 + $1.oldLogProbs.count }
        let parameters = self.parameters, drift = self.drift, config = self.config
        let replicas = self.replicas
        let work = { (s: Int) in
            let replica = replicas[s]
            parameters.withUnsafeBufferPointer { replica.networks.setFlatParameters($0) }
            var buffer: [Float] = []
            swap(&buffer, &replica.outcome.gradient) // unique again, so it is refilled in place
            replica.outcome = shardLossAndGradient(networks: &replica.networks, shard: shards[s], minibatchSize: minibatchSize,
                                                   drift: drift, progress: progress, config: config, reusing: buffer)
        }
        if shards.count == 1 || shardThreads <= 1 {
            for s in shards.indices { work(s) }
        } else {
            nonisolated(unsafe) let run = work
            DispatchQueue.concurrentPerform(iterations: shards.count) { run($0) }
        }
        return replicas.prefix(shards.count).map(\.outcome)
    }

    /// `gradient = outcomes[0].gradient + outcomes[1].gradient + ...`, added in that order.
    private func sumGradients(_ outcomes: [ShardOutcome]) {
        let count = outcomes[0].gradient.count
        if gradient.count != count { gradient = [Float](repeating: 0, count: count) }
        gradient.withUnsafeMutableBufferPointer { sum in
            outcomes[0].gradient.withUnsafeBufferPointer { sum.baseAddress!.update(from: $0.baseAddress!, count: count) }
            for outcome in outcomes.dropFirst() {
                outcome.gradient.withUnsafeBufferPointer { g in
                    for k in 0..<count { sum[k] += g[k] }
                }
            }
        }
    }

    /// A copy of the networks that one shard worker owns.
    final class Replica: @unchecked Sendable {
        var networks: PolicyNetworks
        var outcome = ShardOutcome()
        init(networks: PolicyNetworks) { self.networks = networks }
    }

    struct MinibatchSums {
        var count = 0.0
        var policyLoss = 0.0, valueLoss = 0.0, entropy = 0.0, approxKL = 0.0, driftActive = 0.0, gradientNorm = 0.0
        mutating func add(_ step: ShardOutcome, gradientNorm g: Float) {
            count += 1
            policyLoss += Double(step.policyLoss)
            valueLoss += Double(step.valueLoss)
            entropy += Double(step.entropy)
            approxKL += Double(step.approxKL)
            driftActive += Double(step.driftActive)
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
