import Testing
@testable import Drifts
import Tensors
import TestSupport

@Suite struct NetworkDriftTests {
    /// Points away from kinks (the clip edges 0.8/1.2 and r = 1) for finite differences.
    let points: [(Float, Float)] = [(0.5, 1.3), (0.7, -0.8), (0.9, 2.1), (1.1, -1.7), (1.4, 0.6), (2.0, -2.4), (1.6, 3.0)]

    func checkDerivative(_ drift: any Drift, progress: Float = 0) {
        let h: Float = 1e-3
        for (r, a) in points {
            let plus = drift.value(ratio: r + h, advantage: a, progress: progress)
            let minus = drift.value(ratio: r - h, advantage: a, progress: progress)
            let centre = drift.value(ratio: r, advantage: a, progress: progress)
            // Skip points where the outer ReLU switches within the stencil.
            if (plus > 0) != (centre > 0) || (minus > 0) != (centre > 0) { continue }
            let fd = (plus - minus) / (2 * h)
            let exact = drift.derivative(ratio: r, advantage: a, progress: progress)
            #expect(abs(fd - exact) <= 5e-3 * max(1, abs(exact)), "\(drift.summary) r=\(r) A=\(a): fd \(fd) vs exact \(exact)")
        }
    }

    @Test func zeroLPOIsExactlyPPO() throws {
        let lpo = try NetworkDrift.make(.lpo)
        #expect(lpo.parameterCount == 1152) // 8*128 + 128*1, no biases
        let ppo = PPODrift(epsilon: 0.2)
        let grid = try DriftGrid(resolution: 41)
        let a = grid.evaluate(lpo), b = grid.evaluate(ppo)
        // f_LPO = ReLU(0 - xi + f_PPO): equal to PPO minus xi wherever PPO's drift exceeds xi.
        for i in a.drift.indices {
            #expect(abs(a.drift[i] - max(0, b.drift[i] - NetworkDrift.defaultXi)) < 1e-6)
            if b.drift[i] > NetworkDrift.defaultXi { #expect(a.derivative[i] == b.derivative[i]) }
        }
    }

    @Test func randomNetworksHaveExactDerivatives() throws {
        for kind in [DriftKind.lpo, .lpoZero] {
            let net = try NetworkDrift.make(kind, initialisation: .random(seed: 11))
            checkDerivative(net)
        }
        let ta = try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: 5))
        checkDerivative(ta, progress: 0.3)
        checkDerivative(ta, progress: 0.9)
    }

    @Test func temporallyAwareDriftDependsOnProgress() throws {
        let ta = try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: 5))
        #expect(ta.usesProgress)
        #expect(ta.parameterCount == 16 * 128 + 128)
        let early = ta.evaluate(ratios: [0.5, 1.5, 0.7], advantages: [1, -1, -2], progress: 0)
        let late = ta.evaluate(ratios: [0.5, 1.5, 0.7], advantages: [1, -1, -2], progress: 1)
        #expect(early != late)
    }

    @Test func flatParametersRoundTripInReferenceLayout() throws {
        var net = try NetworkDrift.make(.lpo, initialisation: .random(seed: 2))
        let flat = net.parameters
        #expect(flat.count == 1152)
        // Layout: W1 (8x128) row-major, then W2 (128x1).
        #expect(flat[0] == net.layers[0].kernel[0, 0])
        #expect(flat[1] == net.layers[0].kernel[0, 1])
        #expect(flat[128] == net.layers[0].kernel[1, 0])
        #expect(flat[1024] == net.layers[1].kernel[0, 0])
        let changed = flat.map { $0 * 2 }
        net.parameters = changed
        #expect(net.parameters == changed)
        #expect(throws: DriftError.self) { try net.with(parameters: [1, 2, 3]) }
        #expect(throws: DriftError.self) { try net.with(parameters: [Float](repeating: .nan, count: 1152)) }
    }

    @Test func networkWithHandWorkedValue() throws {
        // A 8-1-1 tanh network: f~ = w2 tanh(w1 . x). Only w1[0] (on log r) = 1, w2 = 2.
        var w1 = Matrix(rows: 8, cols: 1)
        w1[0, 0] = 1
        let w2 = Matrix([[2]])
        let net = try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                                   layers: [.init(kernel: w1), .init(kernel: w2)], ppoEpsilon: nil, xi: 0)
        // r = e: x0 = log r = 1 -> f~ = 2 tanh(1) = 1.5231883; df/dr = 2 (1 - tanh^2 1) / e = 0.3089999
        let e = Float(2.718281828)
        #expect(abs(net.value(ratio: e, advantage: 0.3) - 1.5231883) < 1e-5)
        #expect(abs(net.derivative(ratio: e, advantage: 0.3) - 0.3089999) < 1e-5)
        // r < 1: f~ < 0 so f = ReLU(f~) = 0 and df/dr = 0.
        #expect(net.value(ratio: 0.5, advantage: 0.3) == 0)
        #expect(net.derivative(ratio: 0.5, advantage: 0.3) == 0)
    }

    @Test func invalidArchitecturesAreRejected() {
        #expect(throws: DriftError.self) {
            try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                             layers: [.init(kernel: Matrix(rows: 7, cols: 1))], ppoEpsilon: nil)
        }
        #expect(throws: DriftError.self) {
            try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                             layers: [.init(kernel: Matrix(rows: 8, cols: 4)), .init(kernel: Matrix(rows: 3, cols: 1))],
                             ppoEpsilon: nil)
        }
        #expect(throws: DriftError.self) { try NetworkDrift.make(.dpo) }
    }
}

@Suite struct MirrorLearningCheckTests {
    let check = MirrorLearningCheck(grid: try! DriftGrid(resolution: 81))

    @Test func validDriftsPass() throws {
        var drifts: [any Drift] = [PPODrift(), PPODrift(epsilon: 0.3), DPODrift(), DPODrift(alpha: 1.5, beta: 0.8)]
        for seed: UInt64 in 0..<3 {
            drifts.append(try NetworkDrift.make(.lpo, initialisation: .random(seed: seed)))
            drifts.append(try NetworkDrift.make(.lpoZero, initialisation: .random(seed: seed)))
            drifts.append(try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: seed)))
        }
        for drift in drifts {
            for condition in check.run(drift) {
                #expect(condition.holds, "\(drift.summary): \(condition.name) violated by \(condition.worstViolation)")
            }
        }
    }

    @Test func networkWithBiasFails() throws {
        let base = try NetworkDrift.make(.lpo, initialisation: .random(seed: 1))
        // A positive output bias makes f(1, A) = ReLU(b - xi) > 0: no longer a drift.
        let layers = [base.layers[0], NetworkDrift.Layer(kernel: base.layers[1].kernel, bias: [0.5])]
        let biased = try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh, layers: layers,
                                      ppoEpsilon: 0.2)
        let results = check.run(biased)
        let zeroAtOne = try #require(results.first { $0.name == "f(1, A) = 0" })
        #expect(!zeroAtOne.holds)
        #expect(abs(zeroAtOne.worstViolation - (0.5 - Double(NetworkDrift.defaultXi))) < 1e-5)
    }
}

@Suite struct DriftSpecTests {
    @Test func parsesValidSpecs() throws {
        #expect(try DriftSpec(parsing: "ppo") == .ppo(epsilon: 0.2))
        #expect(try DriftSpec(parsing: "ppo:eps=0.3") == .ppo(epsilon: 0.3))
        #expect(try DriftSpec(parsing: "dpo") == .dpo(alpha: 2, beta: 0.6))
        #expect(try DriftSpec(parsing: "dpo:alpha=1.5,beta=0.8") == .dpo(alpha: 1.5, beta: 0.8))
        #expect(try DriftSpec(parsing: "lpo:init=zero") == .network(kind: .lpo, initialisation: .zero, xi: 1e-4))
        #expect(try DriftSpec(parsing: "lpo:init=random,seed=3")
                == .network(kind: .lpo, initialisation: .random(seed: 3), xi: 1e-4))
        #expect(try DriftSpec(parsing: "lpo-zero:xi=1e-6") == .network(kind: .lpoZero, initialisation: .zero, xi: 1e-6))
        #expect(try DriftSpec(parsing: "runs/drift.h5") == .file(path: "runs/drift.h5"))
    }

    @Test(arguments: ["", "trpo", "ppo:eps=2", "ppo:eps=abc", "dpo:alpha=-1", "dpo:gamma=1",
                      "lpo:init=ones", "lpo:seed=3", "lpo:init=random,seed=-1", "ppo:eps", "ppo:eps=0.1,eps=0.2"])
    func rejectsInvalidSpecs(_ text: String) {
        #expect(throws: DriftError.self) { try DriftSpec(parsing: text) }
    }

    @Test func errorNamesTheProblem() {
        do {
            _ = try DriftSpec(parsing: "trpo")
            Issue.record("expected an error")
        } catch {
            let message = "\(error)"
            #expect(message.contains("trpo") && message.contains("ppo, dpo, lpo"))
        }
    }
}

@Suite struct MirrorLearningNaNTests {
    @Test func nanDriftFailsTheCheck() throws {
        var w1 = Matrix(rows: 8, cols: 2)
        w1[0, 0] = .nan
        let net = try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                                   layers: [.init(kernel: w1), .init(kernel: Matrix(rows: 2, cols: 1, storage: [1, 1]))],
                                   ppoEpsilon: 0.2)
        let results = MirrorLearningCheck(grid: try DriftGrid(resolution: 11)).run(net)
        #expect(results.contains { !$0.holds })
    }
}
