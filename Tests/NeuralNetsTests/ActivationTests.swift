import Foundation
import NeuralNets
import Testing
import TestSupport

@Suite struct ActivationTests {
    @Test(arguments: Activation.allCases)
    func forwardMatchesReference(_ activation: Activation) {
        var rng = testStream(2)
        var x = [Float](repeating: 0, count: 257)
        rng.fillNormal(&x, std: 3)
        let y = activation.forward(x)
        for i in x.indices {
            let exact = Reference.activation(activation, Double(x[i]))
            #expect(abs(Double(y[i]) - exact) <= 1e-6 * max(1, abs(exact)))
        }
    }

    /// Loss `sum_i c_i f(x_i)`: its x-gradient is `c * f'(x)`, which backward must produce.
    @Test(arguments: Activation.allCases)
    func backwardMatchesFiniteDifferences(_ activation: Activation) {
        var rng = testStream(3)
        var x = [Float](repeating: 0, count: 64)
        var c = x
        rng.fillNormal(&x, std: 2)
        rng.fillNormal(&c)
        let analytic = activation.backward(preactivation: x, outputGradient: c).doubles
        let numeric = numericalGradient(of: { xs in
            Reference.dot(xs.map { Reference.activation(activation, $0) }, c.doubles)
        }, at: x.doubles)
        #expect(maxRelativeError(analytic, numeric) < Tolerance.gradientCheck)
    }

    @Test func reluAndIdentityValues() {
        #expect(Activation.relu.forward([-1, 0, 2]) == [0, 0, 2])
        #expect(Activation.relu.backward(preactivation: [-1, 2], outputGradient: [5, 7]) == [0, 7])
        #expect(Activation.identity.backward(preactivation: [-1, 2], outputGradient: [5, 7]) == [5, 7])
        // swish(0) = 0, swish'(0) = 1/2
        #expect(Activation.swish.forward([0]) == [0])
        #expect(Activation.swish.backward(preactivation: [0], outputGradient: [1]) == [0.5])
    }

    @Test(arguments: Activation.allCases)
    func nanPropagates(_ activation: Activation) {
        #expect(activation.forward([.nan])[0].isNaN)
    }
}
