import Foundation
import NeuralNets
import Tensors

/// One row of `runMLPBenchmark`: a timed MLP training step, the single-core sgemm
/// reference, or an elementwise activation.
public struct MLPBenchmarkResult: Codable, Sendable, Equatable {
    /// What was timed.
    public enum Kind: String, Codable, Sendable {
        /// forward + MSE gradient + backward + Adam on one batch.
        case trainingStep
        /// One `[m, k] x [k, n]` sgemm (the speed reference).
        case sgemm
        /// An elementwise function over a buffer.
        case elementwise
    }

    /// What was timed.
    public var kind: Kind
    /// Short name, e.g. `brax-value`, `sgemm`, `tanh-fast`.
    public var name: String
    /// Layer sizes `[inputs, hidden..., outputs]`, or `[m, k, n]` for sgemm, or `[elements]`.
    public var sizes: [Int]
    /// Hidden activation (training steps) or function name (elementwise); empty for sgemm.
    public var activation: String
    /// Rows per call (training steps, sgemm); elements per call for elementwise rows.
    public var batch: Int
    /// Scalar parameters of the network (0 for other kinds).
    public var parameterCount: Int
    /// Mean wall time of one call, in milliseconds.
    public var millisecondsPerCall: Double
    /// Rows (samples) per second; elements per second for elementwise rows.
    public var samplesPerSecond: Double
    /// Matrix-product GFLOP/s achieved (2 m n k per product, counting the forward product,
    /// the weight-gradient product and every input-gradient product but the first layer's).
    public var gflops: Double
    /// `gflops` divided by the sgemm reference measured in the same run.
    public var fractionOfSgemm: Double
    /// Nanoseconds per element (elementwise rows; 0 otherwise).
    public var nanosecondsPerElement: Double
}

/// A network shape timed by `runMLPBenchmark`.
public struct MLPBenchmarkNetwork: Sendable {
    /// Short name used in the results.
    public var name: String
    /// Layer sizes `[inputs, hidden..., outputs]`.
    public var sizes: [Int]
    /// Hidden activation (the output is linear).
    public var activation: Activation
    /// Whether the layers have biases.
    public var bias: Bool

    /// The paper's shapes: Brax policy (64 -> [32 x 4] -> 16) and value (64 -> [256 x 5] -> 1)
    /// networks with swish, MinAtar actor and critic (400 -> 64 -> 64 -> 3 / 1) with ReLU, and
    /// the LPO drift network (8 -> 128 -> 1, tanh, no biases).
    public static let paperNetworks: [MLPBenchmarkNetwork] = [
        MLPBenchmarkNetwork(name: "brax-policy", sizes: [64, 32, 32, 32, 32, 16], activation: .swish, bias: true),
        MLPBenchmarkNetwork(name: "brax-value", sizes: [64, 256, 256, 256, 256, 256, 1], activation: .swish, bias: true),
        MLPBenchmarkNetwork(name: "minatar-actor", sizes: [400, 64, 64, 3], activation: .relu, bias: true),
        MLPBenchmarkNetwork(name: "minatar-critic", sizes: [400, 64, 64, 1], activation: .relu, bias: true),
        MLPBenchmarkNetwork(name: "lpo-drift", sizes: [8, 128, 1], activation: .tanh, bias: false),
    ]
}

/// Times full training steps (forward, MSE gradient, backward, Adam update) of `networks`
/// at each batch size with BLAS on one thread, plus a 2048x256x256 sgemm reference and
/// fast-vs-glibc `tanh` per element.
///
/// - Parameters:
///   - networks: shapes to time (default: the paper's, see `MLPBenchmarkNetwork.paperNetworks`).
///   - batchSizes: rows per training step (Brax's minibatch is 1024; rollouts use 2048).
///   - minimumSeconds: each measurement repeats until this much time has passed (at least 5 calls).
///   - seed: seed of the random inputs and initial parameters.
/// - Returns: the sgemm reference first, then one row per network and batch size, then the
///   elementwise rows.
public func runMLPBenchmark(networks: [MLPBenchmarkNetwork] = MLPBenchmarkNetwork.paperNetworks,
                            batchSizes: [Int] = [2048, 1024], minimumSeconds: Double = 0.5,
                            seed: UInt64 = 0) -> [MLPBenchmarkResult] {
    let previousThreads = BLAS.threads
    BLAS.setThreads(1)
    defer { BLAS.setThreads(previousThreads) }
    var rng = RandomStream(seed: seed, stream: StreamID.make(.evaluation, 0))

    let reference = benchmarkSgemm(m: 2048, k: 256, n: 256, minimumSeconds: minimumSeconds, rng: &rng)
    var results = [reference]
    for network in networks {
        for batch in batchSizes {
            var row = benchmarkTrainingStep(network, batch: batch, minimumSeconds: minimumSeconds, rng: &rng)
            row.fractionOfSgemm = row.gflops / reference.gflops
            results.append(row)
        }
    }
    results += benchmarkTanh(elements: 1 << 16, minimumSeconds: minimumSeconds, rng: &rng)
    return results
}

/// Mean seconds per call of `body`, after two warm-up calls, over at least 5 calls and `minimumSeconds`.
func secondsPerCall(minimumSeconds: Double, _ body: () -> Void) -> Double {
    body(); body()
    let clock = ContinuousClock()
    let start = clock.now
    var calls = 0
    var elapsed = 0.0
    repeat {
        body()
        calls += 1
        let d = clock.now - start
        elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    } while calls < 5 || elapsed < minimumSeconds
    return elapsed / Double(calls)
}

/// Keeps a result alive so the optimiser cannot drop the loop that produced it.
@inline(never)
private func consume(_ value: Float) {
    if value.bitPattern == 0x7FC0_1234 { print(value) }
}

private func benchmarkSgemm(m: Int, k: Int, n: Int, minimumSeconds: Double, rng: inout RandomStream) -> MLPBenchmarkResult {
    var a = Matrix(rows: m, cols: k), b = Matrix(rows: k, cols: n)
    var c = Matrix(rows: m, cols: n)
    rng.fillNormal(&a.storage)
    rng.fillNormal(&b.storage)
    let seconds = secondsPerCall(minimumSeconds: minimumSeconds) { BLAS.gemm(a, b, into: &c) }
    consume(c.storage[0])
    let gflops = 2 * Double(m * n * k) / seconds / 1e9
    return MLPBenchmarkResult(kind: .sgemm, name: "sgemm", sizes: [m, k, n], activation: "", batch: m,
                              parameterCount: 0, millisecondsPerCall: seconds * 1e3,
                              samplesPerSecond: Double(m) / seconds, gflops: gflops, fractionOfSgemm: 1,
                              nanosecondsPerElement: 0)
}

private func benchmarkTrainingStep(_ network: MLPBenchmarkNetwork, batch: Int, minimumSeconds: Double,
                                   rng: inout RandomStream) -> MLPBenchmarkResult {
    let sizes = network.sizes
    var mlp = MLP(sizes: sizes, hiddenActivation: network.activation, bias: network.bias, rng: &rng)
    var adam = Adam(parameterCount: mlp.parameterCount, learningRate: 3e-4, epsilon: 1e-5)
    var x = [Float](repeating: 0, count: batch * sizes[0])
    var target = [Float](repeating: 0, count: batch * sizes.last!)
    rng.fillNormal(&x)
    rng.fillNormal(&target)
    var y = target, dy = target
    var parameters = mlp.flatParameters, gradient = parameters
    let gradientScale = 2 / Float(y.count)
    let seconds = secondsPerCall(minimumSeconds: minimumSeconds) {
        y.withUnsafeMutableBufferPointer { py in mlp.forward(x, batch: batch, into: py.baseAddress!) }
        for i in dy.indices { dy[i] = gradientScale * (y[i] - target[i]) }
        mlp.zeroGradients()
        mlp.backward(dy, inputGradient: nil)
        mlp.copyFlatGradient(into: &gradient)
        adam.update(&parameters, gradient: gradient)
        mlp.setFlatParameters(parameters)
    }
    consume(y[0])
    // Products per layer: forward, weight gradient, and input gradient for all but the first layer.
    var flops = 0.0
    for l in 0..<(sizes.count - 1) {
        flops += 2 * Double(batch * sizes[l] * sizes[l + 1]) * (l == 0 ? 2 : 3)
    }
    return MLPBenchmarkResult(kind: .trainingStep, name: network.name, sizes: sizes,
                              activation: network.activation.rawValue, batch: batch,
                              parameterCount: mlp.parameterCount, millisecondsPerCall: seconds * 1e3,
                              samplesPerSecond: Double(batch) / seconds, gflops: flops / seconds / 1e9,
                              fractionOfSgemm: 0, nanosecondsPerElement: 0)
}

private func benchmarkTanh(elements: Int, minimumSeconds: Double, rng: inout RandomStream) -> [MLPBenchmarkResult] {
    var x = [Float](repeating: 0, count: elements)
    rng.fillNormal(&x, std: 3)
    var y = x
    let fast = secondsPerCall(minimumSeconds: minimumSeconds) {
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { FastMath.tanh(px.baseAddress!, $0.baseAddress!, count: elements) }
        }
    }
    consume(y[elements / 2])
    let glibc = secondsPerCall(minimumSeconds: minimumSeconds) {
        for i in 0..<elements { y[i] = Foundation.tanh(x[i]) }
    }
    consume(y[elements / 2])
    return [("tanh-fast", fast), ("tanh-glibc", glibc)].map { name, seconds in
        MLPBenchmarkResult(kind: .elementwise, name: name, sizes: [elements], activation: "tanh", batch: elements,
                           parameterCount: 0, millisecondsPerCall: seconds * 1e3,
                           samplesPerSecond: Double(elements) / seconds, gflops: 0, fractionOfSgemm: 0,
                           nanosecondsPerElement: seconds / Double(elements) * 1e9)
    }
}
