import NeuralNets
import Tensors
import Testing
import TestSupport

@Suite struct DenseLayerTests {
    /// `L = sum C ⊙ (x W + b)` in Double; its gradients are `C W^T`, `x^T C` and `colsum(C)`.
    func loss(x: [Double], w: [Double], b: [Double]?, c: [Double], batch: Int, inputs: Int, outputs: Int) -> Double {
        var total = 0.0
        for r in 0..<batch {
            for j in 0..<outputs {
                var s = b?[j] ?? 0
                for k in 0..<inputs { s += x[r * inputs + k] * w[k * outputs + j] }
                total += c[r * outputs + j] * s
            }
        }
        return total
    }

    @Test(arguments: [true, false])
    func gradientsMatchFiniteDifferences(_ withBias: Bool) {
        var rng = testStream(10)
        let (batch, inputs, outputs) = (5, 4, 3)
        var layer = DenseLayer(inputs: inputs, outputs: outputs, bias: withBias, rng: &rng)
        if withBias { layer.bias = randomMatrix(1, outputs, rng: &rng) }
        let x = randomMatrix(batch, inputs, rng: &rng)
        let c = randomMatrix(batch, outputs, rng: &rng)
        let (w, b) = (layer.weight.storage.doubles, layer.bias?.storage.doubles)

        let y = layer.forward(x)
        #expect(y.shape == (batch, outputs))
        let yRef = loss(x: x.storage.doubles, w: w, b: b, c: c.storage.doubles, batch: batch, inputs: inputs, outputs: outputs)
        #expect(abs(Reference.dot(y.storage.doubles, c.storage.doubles) - yRef) < 1e-4)

        let dx = layer.backward(c)
        let numericX = numericalGradient(of: { loss(x: $0, w: w, b: b, c: c.storage.doubles, batch: batch, inputs: inputs, outputs: outputs) },
                                         at: x.storage.doubles)
        let numericW = numericalGradient(of: { loss(x: x.storage.doubles, w: $0, b: b, c: c.storage.doubles, batch: batch, inputs: inputs, outputs: outputs) },
                                         at: w)
        #expect(maxRelativeError(dx.storage.doubles, numericX) < Tolerance.gradientCheck)
        #expect(maxRelativeError(layer.weightGradient.storage.doubles, numericW) < Tolerance.gradientCheck)
        if let b {
            let numericB = numericalGradient(of: { loss(x: x.storage.doubles, w: w, b: $0, c: c.storage.doubles, batch: batch, inputs: inputs, outputs: outputs) },
                                             at: b)
            #expect(maxRelativeError(layer.biasGradient!.storage.doubles, numericB) < Tolerance.gradientCheck)
        } else {
            #expect(layer.biasGradient == nil && layer.parameterCount == inputs * outputs)
        }
    }

    @Test func backwardAccumulatesUntilZeroed() {
        var rng = testStream(11)
        var layer = DenseLayer(inputs: 3, outputs: 2, rng: &rng)
        let x = randomMatrix(4, 3, rng: &rng), dy = randomMatrix(4, 2, rng: &rng)
        _ = layer.forward(x)
        _ = layer.backward(dy)
        let once = layer.weightGradient
        _ = layer.backward(dy)
        for (a, b) in zip(layer.weightGradient.storage, once.storage) { #expect(abs(a - 2 * b) < 1e-5) }
        layer.zeroGradients()
        #expect(layer.weightGradient.storage.allSatisfy { $0 == 0 } && layer.biasGradient!.storage.allSatisfy { $0 == 0 })
    }

    @Test func forwardIsXTimesWPlusB() {
        let layer0 = DenseLayer(weight: Matrix([[1, 2], [3, 4], [5, 6]]), bias: Matrix([[10, 20]]))
        var layer = layer0
        // [1, 0, -1] W = [1 - 5, 2 - 6] = [-4, -4]; plus b = [6, 16]
        #expect(layer.forward(Matrix([[1, 0, -1]])) == Matrix([[6, 16]]))
    }
}
