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

    /// The register-blocked kernels add the same terms in the same order as the plain
    /// row-by-row loop, so they agree with it exactly, at widths that use every path (32-wide
    /// blocks, 8-wide blocks, scalar tail), with and without a bias, and onto gradients that
    /// already hold a sum; the weight gradient whatever the block of rows it adds at a time.
    @Test(arguments: [1, 8, 37, 64, 71])
    func sparseKernelsEqualThePlainLoopExactly(outputs: Int) {
        var rng = testStream(23 + outputs)
        let columns = 50
        for hasBias in [true, false] {
            var layer = DenseLayer(inputs: columns, outputs: outputs, bias: hasBias, rng: &rng)
            if hasBias { rng.fillNormal(&layer.bias!.storage) }
            // Rows with 0 to 9 set columns, a repeated column included.
            var offsets: [Int32] = [0], indices: [Int32] = []
            for row in 0..<13 {
                for _ in 0..<(row % 10) { indices.append(Int32(rng.uniform(0, Float(columns) - 0.01))) }
                if row == 7 { indices.append(indices.last!) }
                offsets.append(Int32(indices.count))
            }
            let x = SparseBinaryRows(columns: columns, rowOffsets: offsets, indices: indices)
            let rows = x.rows

            var y = [Float](repeating: .nan, count: rows * outputs)
            y.withUnsafeMutableBufferPointer { layer.apply(sparse: x, into: $0.baseAddress!) }
            var expected = [Float](repeating: 0, count: rows * outputs)
            for i in 0..<rows {
                for j in 0..<outputs { expected[i * outputs + j] = layer.bias?.storage[j] ?? 0 }
                for k in Int(offsets[i])..<Int(offsets[i + 1]) {
                    for j in 0..<outputs { expected[i * outputs + j] += layer.weight.storage[Int(indices[k]) * outputs + j] }
                }
            }
            #expect(y == expected)

            var dy = [Float](repeating: 0, count: rows * outputs)
            rng.fillNormal(&dy)
            rng.fillNormal(&layer.weightGradient.storage)
            if hasBias { rng.fillNormal(&layer.biasGradient!.storage) }
            var expectedWeight = layer.weightGradient.storage, expectedBias = layer.biasGradient?.storage ?? []
            for i in 0..<rows {
                for k in Int(offsets[i])..<Int(offsets[i + 1]) {
                    for j in 0..<outputs { expectedWeight[Int(indices[k]) * outputs + j] += dy[i * outputs + j] }
                }
                if hasBias { for j in 0..<outputs { expectedBias[j] += dy[i * outputs + j] } }
            }
            // The default block, a row or three rows a block, and one pass: all the same bits.
            for blockBytes in [sparseGradientBlockBytes, 1, 3 * outputs * 4, .max] {
                var trial = layer
                dy.withUnsafeBufferPointer {
                    trial.accumulateGradients(sparseInput: x, outputGradient: $0.baseAddress!, blockBytes: blockBytes)
                }
                #expect(trial.weightGradient.storage == expectedWeight, "block of \(blockBytes) bytes")
                #expect((trial.biasGradient?.storage ?? []) == expectedBias)
            }
        }
    }

    /// A minibatch built with its column index (shared by actor and critic) lists, per column,
    /// exactly the rows that set it in ascending order, compares equal to the same rows without
    /// it, and gives the same weight gradient bit for bit.
    @Test func attachedColumnIndexIsTheTransposeAndChangesNothing() {
        var rng = testStream(31)
        let columns = 30
        var offsets: [Int32] = [0], indices: [Int32] = []
        for row in 0..<40 {
            for _ in 0..<(row % 7) { indices.append(Int32(rng.integer(below: columns))) }
            offsets.append(Int32(indices.count))
        }
        let plain = SparseBinaryRows(columns: columns, rowOffsets: offsets, indices: indices)
        let indexed = SparseBinaryRows(columns: columns, rowOffsets: offsets, indicesInRange: indices).withColumnIndex()
        #expect(plain.columnIndex == nil)
        #expect(indexed == plain)
        let index = try! #require(indexed.columnIndex)
        for c in 0..<columns {
            var expected: [Int32] = []
            for i in 0..<plain.rows {
                for k in Int(offsets[i])..<Int(offsets[i + 1]) where indices[k] == Int32(c) { expected.append(Int32(i)) }
            }
            #expect(Array(index.rows[Int(index.offsets[c])..<Int(index.offsets[c + 1])]) == expected, "column \(c)")
        }
        var layer = DenseLayer(inputs: columns, outputs: 24, bias: true, rng: &rng)
        var twin = layer
        var dy = [Float](repeating: 0, count: plain.rows * 24)
        rng.fillNormal(&dy)
        dy.withUnsafeBufferPointer {
            layer.accumulateGradients(sparseInput: plain, outputGradient: $0.baseAddress!)
            twin.accumulateGradients(sparseInput: indexed, outputGradient: $0.baseAddress!)
        }
        #expect(layer.weightGradient.storage.map(\.bitPattern) == twin.weightGradient.storage.map(\.bitPattern))
    }
}
