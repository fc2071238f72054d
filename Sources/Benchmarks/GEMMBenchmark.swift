import Tensors

/// One row of `runGEMMBenchmark`: a matrix product of the paper's networks, timed on
/// DriftLab's AVX-512 kernel and on OpenBLAS in turn.
public struct GEMMBenchmarkResult: Sendable, Codable, Equatable {
    /// Where the product occurs, e.g. `brax-value forward`.
    public var name: String
    public var transA: Bool, transB: Bool
    public var m: Int, n: Int, k: Int
    /// Best of the rounds, GFLOP/s (2 m n k per product); NaN for the own kernel on a CPU without AVX-512.
    public var ownGFLOPS: Double
    public var openBLASGFLOPS: Double
    /// `ownGFLOPS / openBLASGFLOPS`.
    public var speedUp: Double

    enum CodingKeys: String, CodingKey {
        case name, transA = "trans_a", transB = "trans_b", m, n, k, ownGFLOPS = "own_gflops"
        case openBLASGFLOPS = "openblas_gflops", speedUp = "speed_up"
    }

    public init(name: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, ownGFLOPS: Double, openBLASGFLOPS: Double) {
        (self.name, self.transA, self.transB, self.m, self.n, self.k) = (name, transA, transB, m, n, k)
        (self.ownGFLOPS, self.openBLASGFLOPS, speedUp) = (ownGFLOPS, openBLASGFLOPS, ownGFLOPS / openBLASGFLOPS)
    }
}

/// The products of a training step of the Brax and MinAtar networks (a forward layer, the
/// input gradient `dY W^T` and the weight gradient `X^T dY`) and of the LPO drift network,
/// with the batch sizes training uses.
public let paperGEMMShapes: [(name: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int)] = [
    ("brax-value forward", false, false, 1024, 256, 256),
    ("brax-value input gradient", false, true, 1024, 256, 256),
    ("brax-value weight gradient", true, false, 256, 256, 1024),
    ("brax-policy first layer", false, false, 1024, 32, 64),
    ("brax-policy first weight gradient", true, false, 64, 32, 1024),
    ("brax-policy forward", false, false, 1024, 32, 32),
    ("brax-policy input gradient", false, true, 1024, 32, 32),
    ("brax-policy weight gradient", true, false, 32, 32, 1024),
    ("brax-policy output layer", false, false, 1024, 16, 32),
    ("brax-policy output input gradient", false, true, 1024, 32, 16),
    ("brax-policy output weight gradient", true, false, 32, 16, 1024),
    ("brax-rollout forward", false, false, 64, 256, 256),
    ("minatar forward", false, false, 512, 64, 64),
    ("minatar input gradient", false, true, 512, 64, 64),
    ("minatar weight gradient", true, false, 64, 64, 512),
    ("minatar acting", false, false, 64, 64, 64),
    ("lpo-drift forward", false, false, 2048, 128, 8),
    // Products narrower than 8 columns: the heads (6 MinAtar actions, one value) and their
    // weight gradients, and the LPO drift's output.
    ("minatar policy head", false, false, 512, 6, 64),
    ("minatar policy head weight gradient", true, false, 64, 6, 512),
    ("minatar value head", false, false, 512, 1, 64),
    ("minatar value head weight gradient", true, false, 64, 1, 512),
    ("minatar acting head", false, false, 64, 6, 64),
    ("brax-value head", false, false, 1024, 1, 256),
    ("brax-value head weight gradient", true, false, 256, 1, 1024),
    ("lpo-drift output", false, false, 2048, 1, 128),
]

/// Times each product with one BLAS thread on both kernels, alternating them for `rounds`
/// rounds so that a drifting machine affects both alike, and keeps each one's best.
public func runGEMMBenchmark(rounds: Int = 3, minimumSeconds: Double = 0.2, seed: UInt64 = 0) -> [GEMMBenchmarkResult] {
    let previousThreads = BLAS.threads
    BLAS.setThreads(1)
    defer { BLAS.setThreads(previousThreads) }
    var rng = RandomStream(seed: seed, stream: StreamID.make(.evaluation, 1))
    let kernels: [BLAS.Kernel] = BLAS.ownKernelAvailable ? [.own, .openBLAS] : [.openBLAS]
    return paperGEMMShapes.map { shape in
        var a = [Float](repeating: 0, count: shape.m * shape.k), b = [Float](repeating: 0, count: shape.k * shape.n)
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        rng.fillNormal(&a)
        rng.fillNormal(&b)
        let lda = shape.transA ? shape.m : shape.k, ldb = shape.transB ? shape.k : shape.n
        var best: [BLAS.Kernel: Double] = [:]
        for _ in 0..<max(rounds, 1) {
            for kernel in kernels {
                let seconds = a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            secondsPerCall(minimumSeconds: minimumSeconds) {
                                BLAS.gemm(kernel: kernel, transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n,
                                          k: shape.k, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                                          c: cp.baseAddress!, ldc: shape.n)
                            }
                        }
                    }
                }
                best[kernel] = min(best[kernel] ?? .infinity, seconds)
            }
        }
        let flops = 2 * Double(shape.m * shape.n * shape.k)
        return GEMMBenchmarkResult(name: shape.name, transA: shape.transA, transB: shape.transB, m: shape.m, n: shape.n,
                                   k: shape.k, ownGFLOPS: best[.own].map { flops / $0 / 1e9 } ?? .nan,
                                   openBLASGFLOPS: flops / best[.openBLAS]! / 1e9)
    }
}
