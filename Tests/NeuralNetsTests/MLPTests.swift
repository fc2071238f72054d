import NeuralNets
import Tensors
import Testing
import TestSupport

@Suite struct MLPTests {
    struct Case: Sendable, CustomStringConvertible {
        let hidden: Activation, output: Activation, bias: Bool
        var description: String { "\(hidden)/\(output)/bias:\(bias)" }
    }

    static let cases = [
        Case(hidden: .tanh, output: .identity, bias: true),
        Case(hidden: .swish, output: .tanh, bias: true),
        Case(hidden: .relu, output: .swish, bias: true),
        Case(hidden: .tanh, output: .identity, bias: false),
    ]

    /// Mean-squared-error loss of the MLP end to end: analytic parameter and input gradients
    /// against central differences of a Double reference network.
    @Test(arguments: cases)
    func gradientsMatchFiniteDifferences(_ c: Case) {
        var rng = testStream(20)
        let sizes = [3, 6, 5, 2], batch = 4
        var mlp = MLP(sizes: sizes, hiddenActivation: c.hidden, outputActivation: c.output, bias: c.bias, rng: &rng)
        // Non-zero biases so their gradients are exercised away from the initial point.
        var flat = mlp.flatParameters
        for i in flat.indices { flat[i] += 0.1 * rng.normalFloat() }
        mlp.flatParameters = flat
        let x = randomMatrix(batch, sizes[0], rng: &rng)
        let target = randomMatrix(batch, sizes.last!, rng: &rng)

        let y = mlp.forward(x)
        let (lossValue, dy) = MeanSquaredError.lossAndGradient(predictions: y, targets: target)
        mlp.zeroGradients()
        let dx = mlp.backwardWithInputGradient(dy)

        func referenceLoss(parameters: [Double], input: [Double]) -> Double {
            let out = Reference.mlp(sizes: sizes, bias: c.bias, hidden: c.hidden, output: c.output,
                                    flat: parameters, input: input, batch: batch)
            return zip(out, target.storage.doubles).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(out.count)
        }
        #expect(abs(Double(lossValue) - referenceLoss(parameters: flat.doubles, input: x.storage.doubles)) < 1e-5)
        let numericParameters = numericalGradient(of: { referenceLoss(parameters: $0, input: x.storage.doubles) }, at: flat.doubles)
        let numericInput = numericalGradient(of: { referenceLoss(parameters: flat.doubles, input: $0) }, at: x.storage.doubles)
        #expect(maxRelativeError(mlp.flatGradient.doubles, numericParameters) < Tolerance.gradientCheck)
        #expect(maxRelativeError(dx.storage.doubles, numericInput) < Tolerance.gradientCheck)
    }

    @Test func flatParametersRoundTripInLayerOrder() {
        var rng = testStream(21)
        var mlp = MLP(sizes: [4, 3, 2], hiddenActivation: .relu, rng: &rng)
        #expect(mlp.parameterCount == 4 * 3 + 3 + 3 * 2 + 2)
        let flat = (0..<mlp.parameterCount).map { Float($0) }
        mlp.setFlatParameters(flat)
        #expect(mlp.flatParameters == flat)
        // Order: W0 (row-major), b0, W1, b1.
        #expect(mlp.layers[0].weight[1, 0] == 3)
        #expect(mlp.layers[0].bias!.storage == [12, 13, 14])
        #expect(mlp.layers[1].weight.storage.first == 15)
        #expect(mlp.parameters.flatMap(\.storage) == flat)
        var other = MLP(sizes: [4, 3, 2], hiddenActivation: .relu, rng: &rng)
        other.parameters = mlp.parameters
        #expect(other.flatParameters == flat)
        #expect(mlp.gradients.map(\.count) == [12, 3, 6, 2])
    }

    @Test func batchSizeCanChangeBetweenCalls() {
        var rng = testStream(22)
        var mlp = MLP(sizes: [3, 8, 2], hiddenActivation: .swish, rng: &rng)
        let big = randomMatrix(6, 3, rng: &rng)
        let yBig = mlp.forward(big)
        let small = Matrix(rows: 2, cols: 3, storage: Array(big.storage[3..<9]))
        let ySmall = mlp.forward(small)
        #expect(ySmall.storage == Array(yBig.storage[2..<6]))
        #expect(mlp.batchSize == 2)
    }

    /// A 2-8-1 tanh network fits XOR with Adam in a few hundred full-batch steps.
    @Test func learnsXOR() {
        var rng = testStream(23)
        var mlp = MLP(sizes: [2, 8, 1], hiddenActivation: .tanh, rng: &rng)
        var adam = Adam(parameterCount: mlp.parameterCount, learningRate: 0.05)
        let x = Matrix([[0, 0], [0, 1], [1, 0], [1, 1]])
        let t = Matrix([[0], [1], [1], [0]])
        var parameters = mlp.flatParameters
        var loss: Float = 1
        for _ in 0..<400 {
            let (l, dy) = MeanSquaredError.lossAndGradient(predictions: mlp.forward(x), targets: t)
            loss = l
            mlp.zeroGradients()
            mlp.backward(dy)
            adam.update(&parameters, gradient: mlp.flatGradient)
            mlp.flatParameters = parameters
        }
        #expect(loss < 1e-3, "XOR loss after 400 steps: \(loss)")
        let y = mlp.forward(x)
        #expect(y[0, 0] < 0.2 && y[1, 0] > 0.8 && y[2, 0] > 0.8 && y[3, 0] < 0.2)
    }
}
