import Environments
import NeuralNets
import Tensors

/// One update's rollout, time-major `[T, N, ...]`: what the environments showed and did, and
/// what the policy chose. Observations are stored dense, or, for binary grids (MinAtar) that
/// are not normalised, as the list of each sample's set cells, which the networks' sparse
/// first layer reads directly. Allocated once per trainer and overwritten every update.
struct RolloutBuffer {
    let steps: Int, envs: Int, observationSize: Int
    /// Raw observations `[T, N, obs]` (dense path) ...
    private(set) var observations: [Float]
    /// ... or, for binary grids, the set cells of each sample: sample `s` has
    /// `sparseIndices[sparseStart[s] ..< sparseStart[s] + sparseCount[s]]`.
    private let grid: GridEnvironmentBatch?
    private var sparseIndices: [Int32] = [], sparseStart: [Int32] = [], sparseCount: [Int32] = []
    private var stepOffsets: [Int32] = []
    /// `[T, N]` discrete actions (continuous tasks: unused).
    var discreteActions: [Int32]
    /// `[T, N, dim]` pre-tanh actions (continuous tasks; empty otherwise).
    var preTanhActions: [Float]
    var logProbs: [Float], values: [Float], rewards: [Float]
    /// Value of the final observation where an episode was truncated (0 elsewhere).
    var truncationValues: [Float]
    var terminated: [Bool], truncated: [Bool]

    /// Samples in the rollout, `T * N`.
    var count: Int { steps * envs }

    /// Storage for `steps` steps of `env`; `sparse` keeps grid observations as set cells.
    init(steps: Int, env: any EnvironmentBatch, sparse: Bool) {
        self.steps = steps
        envs = env.count
        observationSize = env.observationSize
        let samples = steps * envs
        grid = sparse ? env as? GridEnvironmentBatch : nil
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
    }

    // MARK: Writing a step

    /// Stores `env`'s current observations at time `t` and returns them as network input.
    mutating func storeObservations(at t: Int, of env: any EnvironmentBatch, normalizer: ObservationNormalizer?) -> NetworkInput {
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
                                            indicesInRange: Array(sparseIndices[block..<block + used])))
        }
        let current = env.observations
        let size = observationSize
        observations.withUnsafeMutableBufferPointer { store in
            _ = UnsafeMutableBufferPointer(rebasing: store[rowOffset * size..<(rowOffset + envs) * size])
                .initialize(from: current)
        }
        return .dense(NetworkInput.normalized(current, rows: envs, columns: size, normalizer: normalizer),
                      rows: envs, columns: size)
    }

    /// Stores the policy's choice at time `t`.
    mutating func storeChoice(_ choice: ActorChoice, at t: Int) {
        let rowOffset = t * envs
        if let u = choice.preTanh {
            let dim = u.cols
            for k in 0..<(envs * dim) { preTanhActions[rowOffset * dim + k] = u.storage[k] }
        } else {
            for i in 0..<envs { discreteActions[rowOffset + i] = Int32(choice.discrete[i]) }
        }
        for i in 0..<envs { logProbs[rowOffset + i] = choice.logProbs[i] }
    }

    // MARK: Reading minibatches

    /// The observations of samples `batch` as network input.
    func observations(of batch: [Int], normalizer: ObservationNormalizer?) -> NetworkInput {
        if grid != nil {
            var offsets = [Int32](repeating: 0, count: batch.count + 1)
            for (k, sample) in batch.enumerated() { offsets[k + 1] = offsets[k] + sparseCount[sample] }
            // Each sample's few set cells copied straight into place (appending slices one by
            // one cost more than the copying itself).
            let total = Int(offsets[batch.count])
            let indices = [Int32](unsafeUninitializedCapacity: total) { out, initialized in
                sparseIndices.withUnsafeBufferPointer { all in
                    for (k, sample) in batch.enumerated() {
                        (out.baseAddress! + Int(offsets[k])).initialize(from: all.baseAddress! + Int(sparseStart[sample]),
                                                                        count: Int(sparseCount[sample]))
                    }
                }
                initialized = total
            }
            // Both networks backpropagate through these rows: their column index is built once.
            return .sparse(SparseBinaryRows(columns: observationSize, rowOffsets: offsets, indicesInRange: indices)
                .withColumnIndex())
        }
        let size = observationSize
        var raw = [Float](repeating: 0, count: batch.count * size)
        observations.withUnsafeBufferPointer { all in
            raw.withUnsafeMutableBufferPointer { out in
                for (k, sample) in batch.enumerated() {
                    (out.baseAddress! + k * size).update(from: all.baseAddress! + sample * size, count: size)
                }
            }
        }
        return .dense(raw.withUnsafeBufferPointer { NetworkInput.normalized($0, rows: batch.count, columns: size, normalizer: normalizer) },
                      rows: batch.count, columns: size)
    }

    /// Shard `s` of `count` of minibatch `batch`: its consecutive samples, with their slice of
    /// `advantages` (already normalised over the whole minibatch, `[batch.count]`) and of the
    /// entropy noise `[batch.count, dim]` (continuous tasks). Only reads the buffer, so the
    /// shards of one minibatch can be gathered on several threads at once.
    func shard(_ s: Int, of count: Int, batch: [Int], advantages minibatchAdvantages: [Float], returns: [Float],
               entropyNoise noise: Matrix, actionDimension dim: Int, normalizer: ObservationNormalizer?) -> MinibatchShard {
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
        return MinibatchShard(input: observations(of: samples, normalizer: normalizer),
                              actions: dim > 0 ? [] : samples.map { Int(discreteActions[$0]) },
                              preTanh: preTanh, oldLogProbs: samples.map { logProbs[$0] },
                              advantages: Array(minibatchAdvantages[range]), returns: samples.map { returns[$0] },
                              oldValues: samples.map { values[$0] }, entropyNoise: shardNoise)
    }

    /// A copy of the rollout for a run file, observations as dense rows.
    func recorded(update: Int, observationShape: [Int], actionSpace: ActionSpace,
                  advantages: [Float], returns: [Float]) -> RecordedRollout {
        var dense = observations
        if grid != nil {
            dense = [Float](repeating: 0, count: count * observationSize)
            for sample in 0..<count {
                let start = Int(sparseStart[sample])
                for k in start..<start + Int(sparseCount[sample]) {
                    dense[sample * observationSize + Int(sparseIndices[k])] = 1
                }
            }
        }
        var actionShape = [steps, envs]
        if case .continuous(let dim, _, _) = actionSpace { actionShape.append(dim) }
        return RecordedRollout(update: update, steps: steps, envs: envs, observationShape: observationShape,
                               observations: dense, discreteActions: preTanhActions.isEmpty ? discreteActions : [],
                               preTanhActions: preTanhActions, actionShape: actionShape, rewards: rewards,
                               terminated: terminated, truncated: truncated, logProbs: logProbs, values: values,
                               advantages: advantages, returns: returns)
    }
}
