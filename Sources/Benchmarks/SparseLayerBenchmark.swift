import Environments
import NeuralNets
import Tensors

/// `runSparseLayerBenchmark`'s answer: the MinAtar first layer (400 binary inputs, 64 units)
/// on a minibatch of real Breakout observations, its weight gradient in blocks of
/// `sparseGradientBlockBytes` of the output gradient against one pass over it, and its forward
/// two rows at a time against one.
public struct SparseLayerBenchmarkResult: Sendable, Codable, Equatable {
    /// Rows of the minibatch and the mean number of set inputs per row.
    public var rows: Int
    public var activePerRow: Double
    /// Best of the rounds, microseconds per call: the forward with two rows interleaved and
    /// one row at a time, the weight gradient in blocks and in one pass (how both ran before).
    public var forwardMicroseconds: Double
    public var oneRowForwardMicroseconds: Double
    public var blockedGradientMicroseconds: Double
    public var onePassGradientMicroseconds: Double
    /// `oneRowForwardMicroseconds / forwardMicroseconds`.
    public var forwardSpeedUp: Double
    /// `onePassGradientMicroseconds / blockedGradientMicroseconds`.
    public var speedUp: Double
    /// Whether the two forwards and the two gradients are equal bit for bit (they must be).
    public var identical: Bool

    enum CodingKeys: String, CodingKey {
        case rows, activePerRow = "active_per_row", forwardMicroseconds = "forward_us"
        case oneRowForwardMicroseconds = "one_row_forward_us", forwardSpeedUp = "forward_speed_up"
        case blockedGradientMicroseconds = "blocked_gradient_us", onePassGradientMicroseconds = "one_pass_gradient_us"
        case speedUp = "speed_up", identical
    }
}

/// Observations of 64 Breakout games under random play (as a minibatch early in training
/// sees them), `rows` of them drawn from 128 steps of each game.
func breakoutMinibatch(rows: Int, seed: UInt64) throws -> SparseBinaryRows {
    var rng = RandomStream(seed: seed)
    var games = try (0..<64).map { _ in try MinAtarEnvironment<Breakout>(options: MinAtarOptions()) }
    for g in games.indices { games[g].reset(rng: &rng) }
    var observations: [[Int32]] = []
    guard case .discrete(let actions) = games[0].actionSpace else { preconditionFailure("MinAtar's actions are discrete") }
    var scratch = [Int32](repeating: 0, count: games[0].maximumActiveCells)
    for _ in 0..<128 {
        for g in games.indices {
            let count = scratch.withUnsafeMutableBufferPointer { games[g].writeActiveIndices(into: $0) }
            observations.append(Array(scratch[0..<count]))
            let action = Int(rng.nextUInt32() % UInt32(actions))
            if games[g].step(action, rng: &rng).terminated { games[g].reset(rng: &rng) }
        }
    }
    rng.shuffle(&observations)
    var offsets: [Int32] = [0], indices: [Int32] = []
    for o in observations.prefix(rows) {
        indices += o
        offsets.append(Int32(indices.count))
    }
    return SparseBinaryRows(columns: games[0].maximumActiveCells, rowOffsets: offsets, indices: indices)
}

/// Times the MinAtar first layer's sparse forward and weight gradient on one minibatch,
/// alternating each one's two ways for `rounds` rounds so that a drifting machine affects
/// both alike, and keeps each one's best.
public func runSparseLayerBenchmark(rows: Int = 512, rounds: Int = 3, minimumSeconds: Double = 0.2,
                                    seed: UInt64 = 0) throws -> SparseLayerBenchmarkResult {
    let x = try breakoutMinibatch(rows: rows, seed: seed).withColumnIndex()
    var rng = RandomStream(seed: seed &+ 1)
    var layer = DenseLayer(inputs: x.columns, outputs: 64, rng: &rng)
    var y = [Float](repeating: 0, count: rows * layer.outputs)
    var dy = [Float](repeating: 0, count: rows * layer.outputs)
    rng.fillNormal(&dy)
    var best = (forward: Double.infinity, oneRow: Double.infinity, blocked: Double.infinity, onePass: Double.infinity)
    func forward(interleaved: Bool) -> [Float] {
        y.withUnsafeMutableBufferPointer { layer.apply(sparse: x, into: $0.baseAddress!, interleaved: interleaved) }
        return y
    }
    func gradient(blockBytes: Int) -> [Float] {
        layer.zeroGradients()
        dy.withUnsafeBufferPointer {
            layer.accumulateGradients(sparseInput: x, outputGradient: $0.baseAddress!, blockBytes: blockBytes)
        }
        return layer.weightGradient.storage
    }
    let identical = forward(interleaved: true) == forward(interleaved: false)
        && gradient(blockBytes: sparseGradientBlockBytes) == gradient(blockBytes: .max)
    for _ in 0..<max(rounds, 1) {
        for interleaved in [true, false] {
            let seconds = secondsPerCall(minimumSeconds: minimumSeconds) {
                y.withUnsafeMutableBufferPointer { layer.apply(sparse: x, into: $0.baseAddress!, interleaved: interleaved) }
            }
            if interleaved { best.forward = min(best.forward, seconds) } else { best.oneRow = min(best.oneRow, seconds) }
        }
        func time(blockBytes: Int) -> Double {
            dy.withUnsafeBufferPointer { g in
                secondsPerCall(minimumSeconds: minimumSeconds) {
                    layer.accumulateGradients(sparseInput: x, outputGradient: g.baseAddress!, blockBytes: blockBytes)
                }
            }
        }
        best.blocked = min(best.blocked, time(blockBytes: sparseGradientBlockBytes))
        best.onePass = min(best.onePass, time(blockBytes: .max))
    }
    return SparseLayerBenchmarkResult(
        rows: rows, activePerRow: Double(x.indices.count) / Double(rows),
        forwardMicroseconds: best.forward * 1e6, oneRowForwardMicroseconds: best.oneRow * 1e6,
        blockedGradientMicroseconds: best.blocked * 1e6, onePassGradientMicroseconds: best.onePass * 1e6,
        forwardSpeedUp: best.oneRow / best.forward, speedUp: best.onePass / best.blocked, identical: identical)
}
