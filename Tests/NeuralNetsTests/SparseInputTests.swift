import Testing
@testable import NeuralNets
import Tensors
import TestSupport

@Suite struct SparseInputTests {
    @Test func sparseForwardAndBackwardEqualDense() {
        var rng = testStream(21)
        var dense = MLP(sizes: [40, 16, 8, 3], hiddenActivation: .relu, kernelInitializer: .lecunUniform, rng: &rng)
        // Random biases so the bias path is exercised too.
        var params = dense.flatParameters
        for i in params.indices where params[i] == 0 { params[i] = rng.uniform(-0.5, 0.5) }
        dense.setFlatParameters(params)
        var sparse = dense

        // Five rows with 0, 1, 3, 7 and 2 set columns (a repeated row pattern too).
        let sets: [[Int32]] = [[], [5], [0, 17, 39], [1, 2, 3, 4, 20, 30, 38], [5, 17]]
        var offsets: [Int32] = [0], indices: [Int32] = []
        for s in sets { indices += s; offsets.append(Int32(indices.count)) }
        let x = SparseBinaryRows(columns: 40, rowOffsets: offsets, indices: indices)

        let yDense = dense.forward(Matrix(rows: 5, cols: 40, storage: x.dense))
        let ySparse = sparse.forward(sparse: x)
        for (a, b) in zip(yDense.storage, ySparse.storage) { #expect(abs(a - b) < 1e-5) }

        var dy = Matrix(rows: 5, cols: 3)
        rng.fillNormal(&dy.storage)
        dense.zeroGradients(); sparse.zeroGradients()
        dense.backward(dy); sparse.backward(dy)
        for (a, b) in zip(dense.flatGradient, sparse.flatGradient) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func denseForwardAfterSparseUsesDenseBackward() {
        var rng = testStream(22)
        var net = MLP(sizes: [6, 4, 2], hiddenActivation: .tanh, kernelInitializer: .lecunUniform, rng: &rng)
        _ = net.forward(sparse: SparseBinaryRows(columns: 6, rowOffsets: [0, 1], indices: [2]))
        var x = Matrix(rows: 2, cols: 6)
        rng.fillNormal(&x.storage)
        var reference = net
        _ = net.forward(x)
        _ = reference.forward(x)
        let dy = Matrix(rows: 2, cols: 2, storage: [1, -1, 0.5, 2])
        net.zeroGradients(); reference.zeroGradients()
        net.backward(dy); reference.backward(dy)
        #expect(net.flatGradient == reference.flatGradient)
    }
}
