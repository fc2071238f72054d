import Tensors

/// A multilayer perceptron: dense layers with `hiddenActivation` between them and
/// `outputActivation` after the last, trained by manual backprop.
///
/// Every activation and pre-activation of the last forward pass lives in one preallocated
/// workspace (grown, never shrunk, so alternating rollout and minibatch batch sizes does not
/// reallocate); `backward` reads it and accumulates parameter gradients in the layers.
///
/// Flat vectors (for Adam and Evolution Strategies) list, layer by layer, the kernel
/// `[inputs, outputs]` row-major and then the bias.
public struct MLP: Sendable {
    /// The dense layers, input to output.
    public private(set) var layers: [DenseLayer]
    /// Activation after every layer but the last.
    public let hiddenActivation: Activation
    /// Activation after the last layer.
    public let outputActivation: Activation

    /// Batch size of the last forward pass (0 before any).
    public private(set) var batchSize = 0
    // [x | z0 | a1 | z1 | a2 | ... | z(L-1) | aL]: a(i) is the input of layer i, z(i) its output
    // before the activation; aL is the network output.
    private var forwardWorkspace: [Float] = []
    // Two [batch, widest] gradient buffers used in turn during backward.
    private var backwardWorkspace: [Float] = []
    // The input of the last forward when it was sparse (backward then scatters into layer 0).
    private var sparseInput: SparseBinaryRows?

    /// A network with the given layers (consecutive sizes must match).
    public init(layers: [DenseLayer], hiddenActivation: Activation, outputActivation: Activation = .identity) {
        precondition(!layers.isEmpty, "an MLP needs at least one layer")
        for (a, b) in zip(layers, layers.dropFirst()) {
            precondition(a.outputs == b.inputs, "layer sizes do not chain: \(a.outputs) -> \(b.inputs)")
        }
        self.layers = layers
        self.hiddenActivation = hiddenActivation
        self.outputActivation = outputActivation
    }

    /// A new network `sizes[0] -> sizes[1] -> ... -> sizes.last`, e.g. Brax's policy
    /// `[obs, 32, 32, 32, 32, 2 * actions]`. Kernels of all but the last layer come from
    /// `kernelInitializer`, the last from `outputInitializer` (default: the same); biases are zero.
    public init(sizes: [Int], hiddenActivation: Activation, outputActivation: Activation = .identity,
                bias: Bool = true, kernelInitializer: Initializer = .lecunUniform,
                outputInitializer: Initializer? = nil, rng: inout RandomStream) {
        precondition(sizes.count >= 2, "an MLP needs input and output sizes, got \(sizes)")
        var layers: [DenseLayer] = []
        for i in 0..<(sizes.count - 1) {
            let isLast = i == sizes.count - 2
            layers.append(DenseLayer(inputs: sizes[i], outputs: sizes[i + 1], bias: bias,
                                     kernelInitializer: isLast ? (outputInitializer ?? kernelInitializer) : kernelInitializer,
                                     rng: &rng))
        }
        self.init(layers: layers, hiddenActivation: hiddenActivation, outputActivation: outputActivation)
    }

    /// Layer widths, input first: `[inputs, hidden..., outputs]`.
    public var sizes: [Int] { [layers[0].inputs] + layers.map(\.outputs) }
    /// Number of input features.
    public var inputSize: Int { layers[0].inputs }
    /// Number of outputs.
    public var outputSize: Int { layers[layers.count - 1].outputs }

    // MARK: Forward and backward

    /// Offsets of a(i) and z(i) in the forward workspace for `batch` rows.
    private func forwardOffsets(batch: Int) -> (activations: [Int], preactivations: [Int], total: Int) {
        var activations = [0], preactivations: [Int] = []
        var offset = batch * layers[0].inputs
        for layer in layers {
            preactivations.append(offset)
            offset += batch * layer.outputs
            activations.append(offset)
            offset += batch * layer.outputs
        }
        return (activations, preactivations, offset)
    }

    /// Runs the network on `x: [batch, inputSize]`, writing `y: [batch, outputSize]` and
    /// keeping every intermediate for `backward`.
    public mutating func forward(_ x: UnsafePointer<Float>, batch: Int, into y: UnsafeMutablePointer<Float>) {
        precondition(batch > 0, "forward needs a positive batch, got \(batch)")
        let (act, pre, total) = forwardOffsets(batch: batch)
        var workspace: [Float] = []
        swap(&workspace, &forwardWorkspace) // work on a local so the layers stay accessible
        if workspace.count < total { workspace = [Float](repeating: 0, count: total) }
        workspace.withUnsafeMutableBufferPointer { w in
            let base = w.baseAddress!
            (base + act[0]).update(from: x, count: batch * inputSize)
            for i in layers.indices {
                layers[i].apply(base + act[i], batch: batch, into: base + pre[i])
                let activation = i == layers.count - 1 ? outputActivation : hiddenActivation
                activation.forward(base + pre[i], base + act[i + 1], count: batch * layers[i].outputs)
            }
            y.update(from: base + act[layers.count], count: batch * outputSize)
        }
        swap(&workspace, &forwardWorkspace)
        batchSize = batch
        sparseInput = nil
    }

    /// Runs the network on sparse binary rows (see `SparseBinaryRows`), returning
    /// `[rows, outputSize]`; the first layer sums weight rows instead of multiplying.
    public mutating func forward(sparse x: SparseBinaryRows) -> Matrix {
        let batch = x.rows
        precondition(batch > 0, "forward needs a positive batch, got \(batch)")
        var y = Matrix(rows: batch, cols: outputSize)
        let (act, pre, total) = forwardOffsets(batch: batch)
        var workspace: [Float] = []
        swap(&workspace, &forwardWorkspace)
        if workspace.count < total { workspace = [Float](repeating: 0, count: total) }
        workspace.withUnsafeMutableBufferPointer { w in
            let base = w.baseAddress!
            for i in layers.indices {
                if i == 0 {
                    layers[0].apply(sparse: x, into: base + pre[0])
                } else {
                    layers[i].apply(base + act[i], batch: batch, into: base + pre[i])
                }
                let activation = i == layers.count - 1 ? outputActivation : hiddenActivation
                activation.forward(base + pre[i], base + act[i + 1], count: batch * layers[i].outputs)
            }
            y.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: base + act[layers.count], count: batch * outputSize) }
        }
        swap(&workspace, &forwardWorkspace)
        batchSize = batch
        sparseInput = x
        return y
    }

    /// The network's outputs `[batch, outputSize]` for `x: [batch, inputSize]`.
    public mutating func forward(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputSize, "MLP expects [batch, \(inputSize)], got [\(x.rows), \(x.cols)]")
        var y = Matrix(rows: x.rows, cols: outputSize)
        x.storage.withUnsafeBufferPointer { px in
            y.storage.withUnsafeMutableBufferPointer { py in
                forward(px.baseAddress!, batch: x.rows, into: py.baseAddress!)
            }
        }
        return y
    }

    /// Backward pass of the last forward: given `dy = dLoss/dOutput` `[batch, outputSize]`,
    /// adds `dLoss/dParameters` to the layers' gradients and, if `dx` is non-nil, writes
    /// `dLoss/dInput` `[batch, inputSize]` there. Call `zeroGradients()` first unless you
    /// mean to accumulate over several batches.
    public mutating func backward(_ dy: UnsafePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?) {
        let batch = batchSize
        precondition(batch > 0, "backward called before forward")
        let (act, pre, _) = forwardOffsets(batch: batch)
        let widest = sizes.max()!
        var workspace: [Float] = [], gradients: [Float] = []
        swap(&workspace, &forwardWorkspace)
        swap(&gradients, &backwardWorkspace)
        if gradients.count < 2 * batch * widest { gradients = [Float](repeating: 0, count: 2 * batch * widest) }
        workspace.withUnsafeMutableBufferPointer { w in
            gradients.withUnsafeMutableBufferPointer { g in
                let base = w.baseAddress!
                // dz: gradient w.r.t. the current layer's pre-activation; da: w.r.t. its input.
                let dz = g.baseAddress!, da = g.baseAddress! + batch * widest
                let last = layers.count - 1
                outputActivation.backward(preactivation: base + pre[last], output: base + act[last + 1],
                                          outputGradient: dy, inputGradient: dz, count: batch * outputSize)
                for i in stride(from: last, through: 0, by: -1) {
                    if i == 0, let sparse = sparseInput {
                        precondition(dx == nil, "no input gradient after a sparse forward pass")
                        layers[0].accumulateGradients(sparseInput: sparse, outputGradient: dz)
                    } else {
                        let target: UnsafeMutablePointer<Float>? = i > 0 ? da : dx
                        layers[i].accumulateGradients(input: base + act[i], outputGradient: dz, batch: batch,
                                                      inputGradient: target)
                    }
                    if i > 0 {
                        hiddenActivation.backward(preactivation: base + pre[i - 1], output: base + act[i],
                                                  outputGradient: da, inputGradient: dz,
                                                  count: batch * layers[i].inputs)
                    }
                }
            }
        }
        swap(&workspace, &forwardWorkspace)
        swap(&gradients, &backwardWorkspace)
    }

    /// Backward pass on matrices: accumulates parameter gradients for `dy: [batch, outputSize]`.
    public mutating func backward(_ dy: Matrix) {
        checkOutputGradient(dy)
        dy.storage.withUnsafeBufferPointer { backward($0.baseAddress!, inputGradient: nil) }
    }

    /// Like `backward(_:)`, and also returns `dLoss/dInput` `[batch, inputSize]`.
    public mutating func backwardWithInputGradient(_ dy: Matrix) -> Matrix {
        checkOutputGradient(dy)
        var dx = Matrix(rows: batchSize, cols: inputSize)
        dy.storage.withUnsafeBufferPointer { pdy in
            dx.storage.withUnsafeMutableBufferPointer { backward(pdy.baseAddress!, inputGradient: $0.baseAddress!) }
        }
        return dx
    }

    private func checkOutputGradient(_ dy: Matrix) {
        precondition(dy.rows == batchSize && dy.cols == outputSize,
                     "MLP backward expects [\(batchSize), \(outputSize)], got [\(dy.rows), \(dy.cols)]")
    }

    /// Sets every accumulated parameter gradient to zero.
    public mutating func zeroGradients() {
        for i in layers.indices { layers[i].zeroGradients() }
    }

    // MARK: Parameters as matrices and flat vectors

    /// Total number of scalar parameters.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Parameters as matrices in flat order: `[W0, b0, W1, b1, ...]` (biases omitted when absent).
    /// Setting requires the same shapes.
    public var parameters: [Matrix] {
        get { layers.flatMap { [$0.weight] + ($0.bias.map { [$0] } ?? []) } }
        set {
            var index = 0
            for i in layers.indices {
                precondition(newValue[index].shape == layers[i].weight.shape, "parameter \(index) has the wrong shape")
                layers[i].weight = newValue[index]; index += 1
                if layers[i].bias != nil {
                    precondition(newValue[index].shape == layers[i].bias!.shape, "parameter \(index) has the wrong shape")
                    layers[i].bias = newValue[index]; index += 1
                }
            }
            precondition(index == newValue.count, "expected \(index) parameter matrices, got \(newValue.count)")
        }
    }

    /// Accumulated gradients, matching `parameters` one to one.
    public var gradients: [Matrix] {
        layers.flatMap { [$0.weightGradient] + ($0.biasGradient.map { [$0] } ?? []) }
    }

    /// All parameters as one flat vector of `parameterCount` elements (see the type's doc for the order).
    public var flatParameters: [Float] {
        get {
            var flat = [Float](repeating: 0, count: parameterCount)
            copyFlatParameters(into: &flat)
            return flat
        }
        set { setFlatParameters(newValue) }
    }

    /// Loads parameters from a flat vector of exactly `parameterCount` elements.
    public mutating func setFlatParameters(_ flat: [Float]) {
        flat.withUnsafeBufferPointer { setFlatParameters($0) }
    }

    /// Loads parameters from a buffer of exactly `parameterCount` elements (no intermediate
    /// arrays: the trainer reloads every replica before each minibatch).
    public mutating func setFlatParameters(_ flat: UnsafeBufferPointer<Float>) {
        precondition(flat.count == parameterCount, "flat parameter vector has \(flat.count) elements, the MLP has \(parameterCount)")
        var offset = 0
        for i in layers.indices {
            let w = layers[i].weight.count
            layers[i].weight.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: flat.baseAddress! + offset, count: w) }
            offset += w
            if let b = layers[i].bias?.count {
                layers[i].bias!.storage.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: flat.baseAddress! + offset, count: b) }
                offset += b
            }
        }
    }

    /// All accumulated gradients as one flat vector, in the same order as `flatParameters`.
    public var flatGradient: [Float] {
        var flat = [Float](repeating: 0, count: parameterCount)
        copyFlatGradient(into: &flat)
        return flat
    }

    /// Writes `flatParameters` into an existing vector of `parameterCount` elements
    /// (no allocation: for training loops).
    public func copyFlatParameters(into flat: inout [Float]) {
        flat.withUnsafeMutableBufferPointer { copyFlatParameters(into: $0) }
    }

    /// Writes `flatParameters` into a buffer of `parameterCount` elements.
    public func copyFlatParameters(into flat: UnsafeMutableBufferPointer<Float>) {
        copyFlat(into: flat) { ($0.weight, $0.bias) }
    }

    /// Writes `flatGradient` into an existing vector of `parameterCount` elements.
    public func copyFlatGradient(into flat: inout [Float]) {
        flat.withUnsafeMutableBufferPointer { copyFlatGradient(into: $0) }
    }

    /// Writes `flatGradient` into a buffer of `parameterCount` elements.
    public func copyFlatGradient(into flat: UnsafeMutableBufferPointer<Float>) {
        copyFlat(into: flat) { ($0.weightGradient, $0.biasGradient) }
    }

    private func copyFlat(into out: UnsafeMutableBufferPointer<Float>, _ pick: (DenseLayer) -> (Matrix, Matrix?)) {
        precondition(out.count == parameterCount, "flat vector has \(out.count) elements, the MLP has \(parameterCount)")
        var offset = 0
        for layer in layers {
            let (w, b) = pick(layer)
            w.storage.withUnsafeBufferPointer { (out.baseAddress! + offset).update(from: $0.baseAddress!, count: w.count) }
            offset += w.count
            if let b {
                b.storage.withUnsafeBufferPointer { (out.baseAddress! + offset).update(from: $0.baseAddress!, count: b.count) }
                offset += b.count
            }
        }
    }
}
