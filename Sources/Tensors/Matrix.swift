import CBLAS
import CKernels
import Foundation

/// A dense row-major Float32 matrix `[rows, cols]`. Value semantics (copy on write through
/// the array), so parameters and gradients can be checkpointed by copying.
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// Row-major elements: element (i, j) is `storage[i * cols + j]`.
    public var storage: [Float]

    public init(rows: Int, cols: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix shape [\(rows), \(cols)] is negative")
        self.rows = rows
        self.cols = cols
        self.storage = [Float](repeating: value, count: rows * cols)
    }

    public init(rows: Int, cols: Int, storage: [Float]) {
        precondition(storage.count == rows * cols,
                     "matrix [\(rows), \(cols)] needs \(rows * cols) elements, got \(storage.count)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A matrix from nested rows (for tests and small constants).
    public init(_ nested: [[Float]]) {
        let cols = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == cols }, "ragged rows")
        self.init(rows: nested.count, cols: cols, storage: nested.flatMap { $0 })
    }

    public var count: Int { storage.count }
    public var shape: (rows: Int, cols: Int) { (rows, cols) }

    @inlinable
    public subscript(row: Int, col: Int) -> Float {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// Changes the number of rows (keeping columns), reallocating only when it grows.
    public mutating func resize(rows newRows: Int) {
        guard newRows != rows else { return }
        rows = newRows
        if storage.count != newRows * cols {
            storage = [Float](repeating: 0, count: newRows * cols)
        }
    }

    public mutating func fill(_ value: Float) {
        storage.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
    }

    public func transposed() -> Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t[j, i] = self[i, j] } }
        return t
    }

    public var description: String {
        "Matrix[\(rows)x\(cols)](" + storage.prefix(8).map { "\($0)" }.joined(separator: ", ")
            + (count > 8 ? ", ..." : "") + ")"
    }
}

/// Thin wrappers over OpenBLAS. DriftLab keeps BLAS single-threaded and parallelises at a
/// higher level (environments, seeds, population members): on the small shapes of RL
/// networks, BLAS threads cost more than they save.
public enum BLAS {
    /// Sets the number of OpenBLAS threads (DriftLab uses 1).
    public static func setThreads(_ n: Int) { driftlab_blas_set_threads(Int32(n)) }
    public static var threads: Int { Int(driftlab_blas_get_threads()) }

    /// OpenBLAS's name for its kernel set (`Haswell`, `SkylakeX`, ...): chosen by CPU when
    /// the library loads, or by `OPENBLAS_CORETYPE`.
    public static var openBLASCoreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernels products are computed with: `DriftLab-AVX512` when DriftLab's own AVX-512
    /// kernel computes them all, else OpenBLAS's kernel-set name. Kernels add in different
    /// orders, so they decide the last bits of a run; files record this as `blas_core`.
    /// (Before the own kernel took the products under 8 columns too, files said
    /// `DriftLab-AVX512+Haswell`: OpenBLAS's set computed those.)
    public static var coreName: String {
        usesOwnKernel ? "DriftLab-AVX512" : openBLASCoreName
    }

    /// Whether `gemm` uses DriftLab's AVX-512 kernel (`Sources/CKernels`): on CPUs with AVX-512F,
    /// unless `DRIFTLAB_GEMM=openblas` asks for OpenBLAS alone (`auto`, or unset: the default) (to continue, bit for bit, a
    /// run or meta-training file made before the kernel existed, or by a machine without it).
    /// Each element of C is one FMA chain over k in order, so a product's result depends
    /// only on its inputs, never on threads or blocking. Fixed when the process starts.
    public static let usesOwnKernel: Bool = {
        if ProcessInfo.processInfo.environment["DRIFTLAB_GEMM"] == "openblas" { return false }
        return ownKernelAvailable
    }()

    /// `C = alpha * op(A) * op(B) + beta * C` on raw row-major buffers, where op(A) is
    /// `[m, k]`, op(B) is `[k, n]`, C is `[m, n]`, and `lda`/`ldb`/`ldc` are the row strides
    /// of A, B and C as stored.
    /// Who computes a product: DriftLab's AVX-512 kernel or OpenBLAS (for benchmarks and
    /// tests that compare the two; `gemm` chooses by itself).
    public enum Kernel: String, Sendable, CaseIterable { case own, openBLAS }

    /// `gemm` on the named kernel. `.own` requires an AVX-512 CPU
    /// (`driftlab_gemm_avx512_available`), and computes every width.
    public static func gemm(kernel: Kernel, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch kernel {
        case .own:
            let status = driftlab_sgemm_avx512(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                                               b, Int32(ldb), beta, c, Int32(ldc))
            precondition(status == 0, "DriftLab's AVX-512 kernel is not available here, or found no memory")
        case .openBLAS:
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }

    /// Whether this CPU runs DriftLab's AVX-512 kernels (whatever `DRIFTLAB_GEMM` says).
    public static let ownKernelAvailable = driftlab_gemm_avx512_available() == 1

    @inlinable
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if usesOwnKernel
            && driftlab_sgemm_avx512(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                                     b, Int32(ldb), beta, c, Int32(ldc)) == 0 {
            return
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `C = alpha * op(A) * op(B) + beta * C` on matrices; shapes are checked.
    public static func gemm(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
                            into c: inout Matrix, alpha: Float = 1, beta: Float = 0) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(k == kb, "gemm inner dimensions differ: \(k) vs \(kb)")
        precondition(c.rows == m && c.cols == n, "gemm output is [\(c.rows), \(c.cols)], needs [\(m), \(n)]")
        if m == 0 || n == 0 { return }
        if k == 0 { for i in c.storage.indices { c.storage[i] *= beta }; return }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    gemm(transA: transposeA, transB: transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: pa.baseAddress!, lda: a.cols, b: pb.baseAddress!, ldb: b.cols,
                         beta: beta, c: pc.baseAddress!, ldc: c.cols)
                }
            }
        }
    }

    /// `op(A) * op(B)` as a new matrix.
    public static func product(_ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false) -> Matrix {
        var c = Matrix(rows: transposeA ? a.cols : a.rows, cols: transposeB ? b.rows : b.cols)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }
}
