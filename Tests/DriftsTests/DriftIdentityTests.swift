import Foundation
import Testing
@testable import Drifts
import TestSupport

@Suite struct DriftIdentityTests {
    @Test func aDriftIsTheSameAsItsCopyReadBackFromAFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, kind) in [DriftKind.lpo, .lpoZero, .temporallyAwareLPO].enumerated() {
            let net = try NetworkDrift.make(kind, initialisation: .random(seed: 3), xi: 1e-6)
            let url = dir.appendingPathComponent("\(i).h5")
            try DriftFile.write(net, to: url)
            #expect(DriftIdentity.same(net, try DriftFile.read(from: url)), "\(kind)")
        }
        #expect(DriftIdentity.same(DPODrift(alpha: 2, beta: 0.6), DPODrift(alpha: 2, beta: 0.6)))
        #expect(DriftIdentity.same(PPODrift(epsilon: 0.2), PPODrift(epsilon: 0.2)))
    }

    @Test func anyChangedConstantOrWeightMakesAnotherDrift() throws {
        #expect(!DriftIdentity.same(PPODrift(epsilon: 0.2), PPODrift(epsilon: 0.3)))
        #expect(!DriftIdentity.same(DPODrift(alpha: 2, beta: 0.6), DPODrift(alpha: 2, beta: 0.61)))
        #expect(!DriftIdentity.same(PPODrift(epsilon: 0.2), DPODrift(alpha: 2, beta: 0.6)))
        let net = try NetworkDrift.make(.lpo, initialisation: .random(seed: 3))
        #expect(!DriftIdentity.same(net, try NetworkDrift.make(.lpo, initialisation: .random(seed: 4))))
        // One ES step changes every weight a little; here a single weight of the hidden layer,
        // by 1e-3 of its size, is already seen.
        for index in [0, 500, 1023] {
            var layers = net.layers
            layers[0].kernel.storage[index] *= 1.001
            let nudged = try NetworkDrift(kind: .lpo, features: net.features, activation: net.activation, layers: layers,
                                          ppoEpsilon: net.ppoEpsilon, xi: net.xi)
            #expect(!DriftIdentity.same(net, nudged), "weight \(index)")
        }
        // The temporally-aware drift is also compared at progress 0.5 and 1.
        let ta = try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: 3))
        #expect(!DriftIdentity.same(ta, try NetworkDrift.make(.temporallyAwareLPO, initialisation: .random(seed: 5))))
    }
}
