import CKernels
import Dispatch
import Foundation
import Testing
@testable import Tensors
import TestSupport

/// DriftLab's AVX-512 SGEMM (`Sources/CKernels`). Its contract is exact: every element of C is
/// `alpha * chain` (then `+ beta * C`, fused), where `chain` adds `op(A)[i, p] * op(B)[p, j]`
/// for p = 0, 1, ..., k-1 with one FMA each. The Swift reference below computes that chain
/// with `addingProduct` (a fused multiply-add), so the kernel must match it bit for bit on
/// every shape, layout and stride.
@Suite(.enabled(if: driftlab_gemm_avx512_available() == 1, "the CPU has no AVX-512F"))
struct OwnKernelTests {
    /// One product problem with row strides as stored (`lda >= ` the stored row length).
    struct Problem {
        var transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float
        var lda: Int, ldb: Int, ldc: Int
        var a: [Float], b: [Float], c: [Float]

        init(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float, padding: Int,
             rng: inout RandomStream) {
            (self.transA, self.transB, self.m, self.n, self.k, self.alpha, self.beta) = (transA, transB, m, n, k, alpha, beta)
            let (aRows, aCols) = transA ? (k, m) : (m, k)
            let (bRows, bCols) = transB ? (n, k) : (k, n)
            (lda, ldb, ldc) = (max(aCols, 1) + padding, max(bCols, 1) + padding, n + padding)
            a = [Float](repeating: 0, count: max(aRows * lda, 1))
            b = [Float](repeating: 0, count: max(bRows * ldb, 1))
            c = [Float](repeating: 0, count: m * ldc)
            rng.fillNormal(&a)
            rng.fillNormal(&b)
            rng.fillNormal(&c)
            // C is not to be read when beta is 0: NaN there would show.
            if beta == 0 { for i in c.indices where i % 3 == 0 { c[i] = .nan } }
        }

        func opA(_ i: Int, _ p: Int) -> Float { transA ? a[p * lda + i] : a[i * lda + p] }
        func opB(_ p: Int, _ j: Int) -> Float { transB ? b[j * ldb + p] : b[p * ldb + j] }

        /// The contract, computed one element at a time. With k = 0 or alpha = 0, as BLAS:
        /// C = beta C, A and B unread (C too when beta is 0).
        var reference: [Float] {
            var out = c
            if k == 0 || alpha == 0 {
                for i in 0..<m { for j in 0..<n { out[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
                return out
            }
            for i in 0..<m {
                for j in 0..<n {
                    var chain: Float = 0
                    for p in 0..<k { chain = chain.addingProduct(opA(i, p), opB(p, j)) }
                    let scaled = alpha * chain
                    out[i * ldc + j] = beta != 0 ? scaled.addingProduct(beta, c[i * ldc + j]) : scaled
                }
            }
            return out
        }

        func kernel() -> [Float] {
            var out = c
            let status = a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    out.withUnsafeMutableBufferPointer { cp in
                        driftlab_sgemm_avx512(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                                              ap.baseAddress, Int32(lda), bp.baseAddress, Int32(ldb), beta,
                                              cp.baseAddress, Int32(ldc))
                    }
                }
            }
            #expect(status == 0)
            return out
        }
    }

    static func same(_ x: [Float], _ y: [Float]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// 400 seeded shapes: every remainder of the 8-row and 32-column tiles, k from 0 (C = beta C)
    /// to 300, both layouts of each operand, padded row strides (the padding of C must stay as
    /// it was), alpha and beta of every kind.
    @Test func everyElementIsItsOwnFMAChainOverK() {
        var rng = testStream(11)
        for trial in 0..<400 {
            let m = 1 + rng.integer(below: trial < 200 ? 20 : 70)
            let n = 1 + rng.integer(below: trial < 200 ? 40 : 100)
            let k = trial % 50 == 0 ? 0 : 1 + rng.integer(below: 300)
            let alpha: Float = trial % 37 == 0 ? 0 : [1, -0.5, 2][rng.integer(below: 3)]
            let beta: Float = [0, 1, 0.3][rng.integer(below: 3)]
            let problem = Problem(transA: rng.bernoulli(0.5), transB: rng.bernoulli(0.5), m: m, n: n, k: k, alpha: alpha,
                                  beta: beta, padding: rng.integer(below: 4), rng: &rng)
            let got = problem.kernel(), want = problem.reference
            #expect(Self.same(got, want), "trial \(trial): m \(m) n \(n) k \(k) transA \(problem.transA) transB \(problem.transB)")
        }
    }

    /// Panels of 16 columns or fewer go sixteen rows at a time, and op(B) = B is read in place:
    /// the brax-policy output layer's shapes, every row remainder around 16, B with a row
    /// stride wider than N, both layouts.
    @Test func narrowPanelsAndInPlaceBKeepTheChain() {
        var rng = testStream(14)
        let shapes = [(1024, 16, 32), (32, 16, 1024), (16, 16, 5), (24, 48, 50), (31, 9, 17), (40, 8, 3), (33, 16, 64)]
        for (m, n, k) in shapes {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let problem = Problem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, beta: transB ? 1 : 0,
                                      padding: 3, rng: &rng)
                #expect(Self.same(problem.kernel(), problem.reference), "\(m) x \(n) x \(k) transA \(transA) transB \(transB)")
            }
        }
    }

    /// Products of at most 7 columns hold sixteen rows of C per register, with op(A) = A
    /// transposed sixteen by sixteen first: the heads' shapes and their weight gradients, every
    /// row remainder around 16 and 64, k around the transpose's 16, wide strides, beta fused,
    /// both layouts.
    @Test func narrowProductsKeepTheChain() {
        var rng = testStream(15)
        let shapes = [(512, 6, 64), (64, 6, 512), (512, 1, 64), (64, 1, 512), (1024, 1, 256), (2048, 1, 128),
                      (1, 1, 1), (15, 7, 3), (16, 2, 9), (17, 5, 33), (33, 3, 1),
                      (100, 1, 17), (70, 1, 16), (49, 4, 32), (130, 1, 300)]
        for (m, n, k) in shapes {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                for beta: Float in [0, 0.5] {
                    let problem = Problem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: -0.5, beta: beta,
                                          padding: 5, rng: &rng)
                    #expect(Self.same(problem.kernel(), problem.reference),
                            "\(m) x \(n) x \(k) transA \(transA) transB \(transB) beta \(beta)")
                }
            }
        }
    }

    /// The cache-friendly tile order changes when packed B outgrows L2 (here 64 x 2048 x 4 bytes
    /// = 512 KB and more): results may not.
    @Test func longProductsTakeTheOtherTileOrderWithTheSameResult() {
        var rng = testStream(12)
        for (m, n, k) in [(9, 64, 2048), (17, 65, 2100)] {
            let problem = Problem(transA: true, transB: false, m: m, n: n, k: k, alpha: 1, beta: 0, padding: 1, rng: &rng)
            #expect(Self.same(problem.kernel(), problem.reference), "\(m) x \(n) x \(k)")
        }
    }

    /// Each thread packs into its own buffer: the same products on four threads at once agree.
    @Test func concurrentProductsAgree() {
        var rng = testStream(13)
        let problems = (0..<8).map { i in
            Problem(transA: i % 2 == 0, transB: i % 3 == 0, m: 40 + i, n: 70 + 3 * i, k: 150 + 17 * i, alpha: 1, beta: 0,
                    padding: 0, rng: &rng)
        }
        let expected = problems.map { $0.kernel() }
        let results = UnsafeSendableArray(count: 32)
        DispatchQueue.concurrentPerform(iterations: 32) { t in results.set(t, problems[t % 8].kernel()) }
        for t in 0..<32 { #expect(Self.same(results.get(t), expected[t % 8]), "task \(t)") }
    }

    /// `BLAS.gemm` takes this kernel for products of every width, so OpenBLAS's choice of
    /// kernels (by CPU model, which a VM may hide) decides nothing.
    @Test func blasGemmTakesTheOwnKernelAtEveryWidth() {
        let forcedOff = ProcessInfo.processInfo.environment["DRIFTLAB_GEMM"]?.lowercased() == "openblas"
        #expect(BLAS.usesOwnKernel == !forcedOff)
        guard !forcedOff else { return }
        #expect(BLAS.coreName == "DriftLab-AVX512")
        var rng = testStream(14)
        for n in [1, 6, 7, 8, 40] {
            let problem = Problem(transA: false, transB: true, m: 33, n: n, k: 77, alpha: 1, beta: 0, padding: 0, rng: &rng)
            var out = problem.c
            problem.a.withUnsafeBufferPointer { ap in problem.b.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { cp in
                BLAS.gemm(transA: false, transB: true, m: 33, n: n, k: 77, a: ap.baseAddress!, lda: problem.lda,
                          b: bp.baseAddress!, ldb: problem.ldb, c: cp.baseAddress!, ldc: problem.ldc)
            } } }
            #expect(Self.same(out, problem.reference), "n \(n)")
        }
    }
}

/// Results written by concurrent tasks, each to its own slot.
final class UnsafeSendableArray: @unchecked Sendable {
    private var slots: [[Float]]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ value: [Float]) { lock.withLock { slots[i] = value } }
    func get(_ i: Int) -> [Float] { lock.withLock { slots[i] } }
}
