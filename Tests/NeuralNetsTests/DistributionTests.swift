import Foundation
import NeuralNets
import Tensors
import Testing
import TestSupport

@Suite struct CategoricalDistributionTests {
    func logSoftmax(_ z: [Double]) -> [Double] {
        let m = z.max()!
        let lse = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
        return z.map { $0 - lse }
    }

    @Test func logProbabilityAndEntropyValues() {
        // Uniform over 4 categories: log p = -log 4, H = log 4.
        let uniform = CategoricalDistribution(logits: Matrix([[7, 7, 7, 7]]))
        #expect(abs(uniform.logProbability(of: [2])[0] + Float(Foundation.log(4.0))) < 1e-6)
        #expect(abs(uniform.entropy()[0] - Float(Foundation.log(4.0))) < 1e-6)
        // Logits (0, log 3): p = (1/4, 3/4); H = -(1/4) log(1/4) - (3/4) log(3/4).
        let d = CategoricalDistribution(logits: Matrix([[0, Float(Foundation.log(3.0))]]))
        #expect(abs(d.logProbability(of: [1])[0] - Float(Foundation.log(0.75))) < 1e-6)
        let h = -(0.25 * Foundation.log(0.25) + 0.75 * Foundation.log(0.75))
        #expect(abs(Double(d.entropy()[0]) - h) < 1e-6)
        // Huge logits stay finite.
        let big = CategoricalDistribution(logits: Matrix([[1000, 0, -1000]]))
        #expect(big.logProbability(of: [0])[0] == 0 && big.logProbability(of: [1])[0] == -1000)
        #expect(big.mode == [0])
    }

    @Test func gradientsMatchFiniteDifferences() {
        var rng = testStream(40)
        let (batch, n) = (3, 5)
        let logits = randomMatrix(batch, n, scale: 2, rng: &rng)
        let actions = [4, 0, 2]
        let weights: [Float] = [0.7, -1.3, 2.1]
        let d = CategoricalDistribution(logits: logits)
        func rows(_ flat: [Double]) -> [[Double]] { (0..<batch).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) } }
        let numericLogp = numericalGradient(of: { z in
            rows(z).enumerated().reduce(0) { $0 + Double(weights[$1.offset]) * logSoftmax($1.element)[actions[$1.offset]] }
        }, at: logits.storage.doubles)
        let numericEntropy = numericalGradient(of: { z in
            rows(z).enumerated().reduce(0) { total, row in
                let lp = logSoftmax(row.element)
                return total - Double(weights[row.offset]) * lp.reduce(0) { $0 + Foundation.exp($1) * $1 }
            }
        }, at: logits.storage.doubles)
        #expect(maxRelativeError(d.logProbabilityGradient(of: actions, weights: weights).storage.doubles, numericLogp)
                < Tolerance.gradientCheck)
        #expect(maxRelativeError(d.entropyGradient(weights: weights).storage.doubles, numericEntropy)
                < Tolerance.gradientCheck)
    }

    /// Sample counts against softmax probabilities with a chi-square statistic: 3 degrees of
    /// freedom, so 16.3 is the 0.1% critical value.
    @Test func samplingFrequenciesMatchSoftmax() {
        var rng = testStream(41)
        let draws = 20_000
        let logits = Matrix(rows: draws, cols: 4, storage: (0..<draws).flatMap { _ in [Float](arrayLiteral: 0.5, -1, 1.5, 0) })
        let d = CategoricalDistribution(logits: logits)
        var counts = [Double](repeating: 0, count: 4)
        for a in d.sample(rng: &rng) { counts[a] += 1 }
        let p = d.probabilities
        var chiSquare = 0.0
        for j in 0..<4 {
            let expected = Double(draws) * Double(p[0, j])
            chiSquare += (counts[j] - expected) * (counts[j] - expected) / expected
        }
        #expect(chiSquare < 16.3, "chi-square \(chiSquare), counts \(counts)")
    }
}

@Suite struct TanhNormalDistributionTests {
    /// log-prob of pre-tanh u straight from the definition, in Double.
    func referenceLogProb(_ params: [Double], _ u: [Double]) -> Double {
        let d = u.count
        var total = 0.0
        for i in 0..<d {
            let loc = params[i]
            let scale = Foundation.log1p(Foundation.exp(params[d + i])) + 0.001
            let z = (u[i] - loc) / scale
            let t = Foundation.tanh(u[i])
            total += -0.5 * z * z - Foundation.log(scale) - 0.5 * Foundation.log(2 * Double.pi) - Foundation.log(1 - t * t)
        }
        return total
    }

    func referenceEntropy(_ params: [Double], _ noise: [Double]) -> Double {
        let d = noise.count
        var total = 0.0
        for i in 0..<d {
            let scale = Foundation.log1p(Foundation.exp(params[d + i])) + 0.001
            let u = params[i] + scale * noise[i]
            let t = Foundation.tanh(u)
            total += 0.5 + 0.5 * Foundation.log(2 * Double.pi) + Foundation.log(scale) + Foundation.log(1 - t * t)
        }
        return total
    }

    @Test func logProbabilityMatchesDefinitionAndIsStable() {
        let params = Matrix([[0.3, -1.2, 0.5, -2], [0, 0, 0, 0]])
        let u = Matrix([[0.1, -0.7], [1.5, -2.5]])
        let dist = TanhNormalDistribution(parameters: params)
        #expect(dist.actionSize == 2 && dist.batch == 2)
        let lp = dist.logProbability(ofPreTanh: u)
        for b in 0..<2 {
            let row = (0..<4).map { Double(params[b, $0]) }
            #expect(abs(Double(lp[b]) - referenceLogProb(row, [Double(u[b, 0]), Double(u[b, 1])])) < 1e-5)
        }
        // log(1 - tanh(u)^2) ~ 2 log 2 - 2|u| for large |u|, where the naive formula gives -inf.
        #expect(abs(TanhNormalDistribution.logDetJacobian(30) - (2 * Foundation.log(2.0) - 60)) < 1e-9)
        #expect(abs(TanhNormalDistribution.logDetJacobian(-0.4) - Foundation.log(1 - pow(Foundation.tanh(0.4), 2))) < 1e-12)
        let far = dist.logProbability(ofPreTanh: Matrix([[25, -30], [40, 0]]))
        #expect(far.allSatisfy { $0.isFinite })
        // scale = softplus(raw) + 0.001
        #expect(abs(dist.scale[1, 0] - Float(Foundation.log(2.0) + 0.001)) < 1e-6)
    }

    @Test func logProbabilityGradientMatchesFiniteDifferences() {
        var rng = testStream(50)
        let (batch, d) = (3, 2)
        let params = randomMatrix(batch, 2 * d, rng: &rng)
        let dist = TanhNormalDistribution(parameters: params)
        let u = dist.sample(rng: &rng).preTanh
        let weights: [Float] = [1, -0.5, 2]
        let analytic = dist.logProbabilityGradient(ofPreTanh: u, weights: weights)
        let numeric = numericalGradient(of: { p in
            (0..<batch).reduce(0) { total, b in
                total + Double(weights[b]) * referenceLogProb(Array(p[(b * 2 * d)..<((b + 1) * 2 * d)]),
                                                              (0..<d).map { Double(u[b, $0]) })
            }
        }, at: params.storage.doubles)
        #expect(maxRelativeError(analytic.storage.doubles, numeric) < Tolerance.gradientCheck)
    }

    @Test func entropyAndItsGradientMatchReference() {
        var rng = testStream(51)
        let (batch, d) = (2, 3)
        let params = randomMatrix(batch, 2 * d, rng: &rng)
        let dist = TanhNormalDistribution(parameters: params)
        let noise = dist.sampleNoise(rng: &rng)
        let weights: [Float] = [0.4, -1.1]
        let h = dist.entropy(noise: noise)
        for b in 0..<batch {
            let reference = referenceEntropy(Array(params.storage.doubles[(b * 2 * d)..<((b + 1) * 2 * d)]),
                                             (0..<d).map { Double(noise[b, $0]) })
            #expect(abs(Double(h[b]) - reference) < 1e-5)
        }
        let numeric = numericalGradient(of: { p in
            (0..<batch).reduce(0) { total, b in
                total + Double(weights[b]) * referenceEntropy(Array(p[(b * 2 * d)..<((b + 1) * 2 * d)]),
                                                              (0..<d).map { Double(noise[b, $0]) })
            }
        }, at: params.storage.doubles)
        #expect(maxRelativeError(dist.entropyGradient(noise: noise, weights: weights).storage.doubles, numeric)
                < Tolerance.gradientCheck)
    }

    @Test func samplesHaveTheRightMomentsAndRange() {
        var rng = testStream(52)
        let n = 20_000
        let params = Matrix(rows: n, cols: 2, storage: (0..<n).flatMap { _ in [Float](arrayLiteral: 0.4, -0.5) })
        let dist = TanhNormalDistribution(parameters: params)
        let (u, a) = dist.sample(rng: &rng)
        let scale = Foundation.log1p(Foundation.exp(-0.5)) + 0.001
        let mean = u.storage.reduce(0) { $0 + Double($1) } / Double(n)
        let variance = u.storage.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        #expect(abs(mean - 0.4) < 4 * scale / Double(n).squareRoot())
        #expect(abs(variance / (scale * scale) - 1) < 0.05)
        #expect(a.storage.allSatisfy { abs($0) <= 1 })
        #expect(dist.mode[0, 0] == Float(Foundation.tanh(0.4)))
    }
}

@Suite struct MeanSquaredErrorTests {
    @Test func valueAndGradient() {
        var rng = testStream(60)
        let p = randomMatrix(4, 3, rng: &rng), t = randomMatrix(4, 3, rng: &rng)
        let (loss, g) = MeanSquaredError.lossAndGradient(predictions: p, targets: t)
        let reference: ([Double]) -> Double = { q in
            zip(q, t.storage.doubles).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 12
        }
        #expect(abs(Double(loss) - reference(p.storage.doubles)) < 1e-6)
        #expect(maxRelativeError(g.storage.doubles, numericalGradient(of: reference, at: p.storage.doubles))
                < Tolerance.gradientCheck)
        // Hand value: predictions (1, 2), targets (0, 4): ((1)^2 + (-2)^2) / 2 = 2.5.
        #expect(MeanSquaredError.loss(predictions: Matrix([[1, 2]]), targets: Matrix([[0, 4]])) == 2.5)
    }
}
