import Tensors

/// A fully connected layer `y = x W (+ b)` with `x: [batch, inputs]`, kernel
/// `W: [inputs, outputs]` (row-major, as Flax/Brax store it) and optional bias `b: [1, outputs]`.
///
/// Two levels of API: `forward(_:)`/`backward(_:)` on matrices cache the input for the
/// backward pass (convenient, one copy of `x`); the raw-pointer `apply` and
/// `accumulateGradients` take the input explicitly, so `MLP` can keep every activation in
/// its own preallocated workspace without copying. Every product is one BLAS sgemm.
public struct DenseLayer: Sendable {
    /// Kernel `[inputs, outputs]`.
    public var weight: Matrix
    /// Bias `[1, outputs]`, or nil for a bias-free layer.
    public var bias: Matrix?
    /// Accumulated `dLoss/dW`, `[inputs, outputs]`.
    public var weightGradient: Matrix
    /// Accumulated `dLoss/db`, `[1, outputs]` (nil when the layer has no bias).
    public var biasGradient: Matrix?
    /// The input of the last matrix `forward`, kept for `backward`.
    private var cachedInput = Matrix(rows: 0, cols: 0)

    /// Number of input features.
    public var inputs: Int { weight.rows }
    /// Number of output features.
    public var outputs: Int { weight.cols }
    /// Whether the layer adds a bias.
    public var hasBias: Bool { bias != nil }
    /// Number of scalar parameters (`inputs * outputs`, plus `outputs` with a bias).
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    /// A layer with explicit parameters: `weight` is `[inputs, outputs]`, `bias` `[1, outputs]`.
    public init(weight: Matrix, bias: Matrix?) {
        if let bias {
            precondition(bias.rows == 1 && bias.cols == weight.cols,
                         "bias is [\(bias.rows), \(bias.cols)], needs [1, \(weight.cols)]")
        }
        self.weight = weight
        self.bias = bias
        self.weightGradient = Matrix(rows: weight.rows, cols: weight.cols)
        self.biasGradient = bias.map { Matrix(rows: 1, cols: $0.cols) }
    }

    /// A new `inputs -> outputs` layer with kernel and bias drawn from the given initialisers.
    public init(inputs: Int, outputs: Int, bias: Bool = true,
                kernelInitializer: Initializer = .lecunUniform, biasInitializer: Initializer = .zeros,
                rng: inout RandomStream) {
        precondition(inputs > 0 && outputs > 0, "dense layer \(inputs) -> \(outputs) needs positive sizes")
        let w = kernelInitializer.makeMatrix(rows: inputs, cols: outputs, rng: &rng)
        let b = bias ? biasInitializer.makeMatrix(rows: 1, cols: outputs, rng: &rng) : nil
        self.init(weight: w, bias: b)
    }

    // MARK: Raw buffers (no caching)

    /// `y = x W (+ b)` for `x: [batch, inputs]` into `y: [batch, outputs]` (row-major, dense).
    public func apply(_ x: UnsafePointer<Float>, batch: Int, into y: UnsafeMutablePointer<Float>) {
        guard batch > 0 else { return }
        let (n, k) = (outputs, inputs)
        var beta: Float = 0
        if let bias {
            // Broadcast the bias into y, then let sgemm accumulate onto it (beta = 1).
            bias.storage.withUnsafeBufferPointer { b in broadcast(b.baseAddress!, width: n, rows: batch, into: y) }
            beta = 1
        }
        weight.storage.withUnsafeBufferPointer { w in
            BLAS.gemm(transA: false, transB: false, m: batch, n: n, k: k,
                      a: x, lda: k, b: w.baseAddress!, ldb: n, beta: beta, c: y, ldc: n)
        }
    }

    /// Backward pass for the input `x: [batch, inputs]` that produced the outputs whose
    /// gradient is `dy: [batch, outputs]`: adds `x^T dy` to `weightGradient` and the column
    /// sums of `dy` to `biasGradient`, and writes `dx = dy W^T` (`[batch, inputs]`) when
    /// `dx` is non-nil.
    public mutating func accumulateGradients(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                                             batch: Int, inputGradient dx: UnsafeMutablePointer<Float>?) {
        guard batch > 0 else { return }
        let (n, k) = (outputs, inputs)
        weightGradient.storage.withUnsafeMutableBufferPointer { dw in
            BLAS.gemm(transA: true, transB: false, m: k, n: n, k: batch,
                      a: x, lda: k, b: dy, ldb: n, beta: 1, c: dw.baseAddress!, ldc: n)
        }
        if biasGradient != nil {
            biasGradient!.storage.withUnsafeMutableBufferPointer { db in
                let d = db.baseAddress!
                for row in 0..<batch {
                    let g = dy + row * n
                    for j in 0..<n { d[j] += g[j] }
                }
            }
        }
        if let dx {
            weight.storage.withUnsafeBufferPointer { w in
                BLAS.gemm(transA: false, transB: true, m: batch, n: k, k: n,
                          a: dy, lda: n, b: w.baseAddress!, ldb: n, beta: 0, c: dx, ldc: k)
            }
        }
    }

    /// Sets the accumulated gradients to zero.
    public mutating func zeroGradients() {
        weightGradient.fill(0)
        biasGradient?.fill(0)
    }

    // MARK: Matrices (caching)

    /// `x W (+ b)` for `x: [batch, inputs]`, remembering `x` for `backward`.
    public mutating func forward(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputs, "dense layer expects [batch, \(inputs)], got [\(x.rows), \(x.cols)]")
        cachedInput = x
        var y = Matrix(rows: x.rows, cols: outputs)
        x.storage.withUnsafeBufferPointer { px in
            y.storage.withUnsafeMutableBufferPointer { py in
                guard let xBase = px.baseAddress, let yBase = py.baseAddress else { return }
                apply(xBase, batch: x.rows, into: yBase)
            }
        }
        return y
    }

    /// Given `dy: [batch, outputs]` for the last `forward`, accumulates the parameter
    /// gradients and returns `dx: [batch, inputs]`.
    public mutating func backward(_ dy: Matrix) -> Matrix {
        precondition(dy.rows == cachedInput.rows && dy.cols == outputs,
                     "dense backward expects [\(cachedInput.rows), \(outputs)], got [\(dy.rows), \(dy.cols)]")
        var dx = Matrix(rows: dy.rows, cols: inputs)
        let x = cachedInput
        x.storage.withUnsafeBufferPointer { px in
            dy.storage.withUnsafeBufferPointer { pdy in
                dx.storage.withUnsafeMutableBufferPointer { pdx in
                    guard let xb = px.baseAddress, let dyb = pdy.baseAddress else { return }
                    accumulateGradients(input: xb, outputGradient: dyb, batch: dy.rows, inputGradient: pdx.baseAddress!)
                }
            }
        }
        return dx
    }
}

/// `y[row] = b` for every row of a `[rows, width]` buffer. Rows are short (a layer's width),
/// so one library copy per row would cost more in calls than in bytes: sixteen lanes at a time.
@inline(__always)
private func broadcast(_ b: UnsafePointer<Float>, width: Int, rows: Int, into y: UnsafeMutablePointer<Float>) {
    let source = UnsafeRawPointer(b)
    for row in 0..<rows {
        let target = UnsafeMutableRawPointer(y + row &* width)
        var j = 0
        while j &+ 16 <= width {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: j &* 4, as: SIMD16<Float>.self),
                              toByteOffset: j &* 4, as: SIMD16<Float>.self)
            j &+= 16
        }
        while j < width { y[row &* width &+ j] = b[j]; j &+= 1 }
    }
}
