import Foundation
import Storage
import Testing
@testable import Drifts
import TestSupport

@Suite struct DriftFileTests {
    func roundTrip(_ drift: any Drift) throws -> any Drift {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("drift.h5")
        try DriftFile.write(drift, to: url, provenance: ["driftlab_version": "test"])
        return try DriftFile.read(from: url)
    }

    @Test func networksRoundTripExactly() throws {
        for kind in [DriftKind.lpo, .lpoZero, .temporallyAwareLPO] {
            let net = try NetworkDrift.make(kind, initialisation: .random(seed: 9), xi: 1e-6)
            let back = try #require(try roundTrip(net) as? NetworkDrift)
            #expect(back == net)
            let probe = (ratios: [Float](arrayLiteral: 0.4, 1.3, 2.2), advantages: [Float](arrayLiteral: -1, 0.5, 3))
            #expect(back.evaluate(ratios: probe.ratios, advantages: probe.advantages, progress: 0.5)
                    == net.evaluate(ratios: probe.ratios, advantages: probe.advantages, progress: 0.5))
        }
    }

    @Test func biasedNetworkRoundTrips() throws {
        let base = try NetworkDrift.make(.lpo, initialisation: .random(seed: 1))
        let biased = try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                                      layers: [base.layers[0], .init(kernel: base.layers[1].kernel, bias: [0.25])],
                                      ppoEpsilon: 0.2)
        #expect(try roundTrip(biased) as? NetworkDrift == biased)
    }

    @Test func closedFormsRoundTrip() throws {
        #expect(try roundTrip(PPODrift(epsilon: 0.3)) as? PPODrift == PPODrift(epsilon: 0.3))
        #expect(try roundTrip(DPODrift(alpha: 1.5, beta: 0.8)) as? DPODrift == DPODrift(alpha: 1.5, beta: 0.8))
    }

    @Test func fileHasTheDocumentedSchema() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("lpo.h5")
        try DriftFile.write(try NetworkDrift.make(.lpo), to: url)
        let file = try HDF5File.open(url)
        let group = try file.root.openGroup("drift")
        #expect(try group.attribute("kind", as: String.self) == "lpo")
        #expect(try group.attribute("features", as: [String].self)
                == ["log_r", "log_r^2", "1-r", "(1-r)^2", "A*log_r", "A*log_r^2", "A*(1-r)", "A*(1-r)^2"])
        #expect(try group.attribute("activation", as: String.self) == "tanh")
        #expect(try group.attribute("ppo_eps", as: Double.self) == 0.2)
        #expect(try group.read("layer_0/kernel", as: Float.self).shape == [8, 128])
        #expect(try group.read("layer_1/kernel", as: Float.self).shape == [128, 1])
        #expect(try !group.contains("layer_0/bias"))
    }

    @Test func missingFileNamesThePath() {
        do {
            _ = try DriftFile.read(from: URL(fileURLWithPath: "/nonexistent/lpo.h5"))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("/nonexistent/lpo.h5"))
        }
    }

    @Test func nonDriftHDF5FileIsRejected() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("other.h5")
        try HDF5File.writeAtomically(to: url) { file in try file.root.write([Float(1)], shape: [1], to: "x") }
        #expect(throws: DriftError.invalidFile(path: url.path, reason: "no /drift group: not a DriftLab drift file")) {
            try DriftFile.read(from: url)
        }
        let text = dir.appendingPathComponent("text.h5")
        try Data("not hdf5".utf8).write(to: text)
        #expect(throws: (any Error).self) { try DriftFile.read(from: text) }
    }

    @Test func wrongKindAttributeIsRejected() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("bad.h5")
        try HDF5File.writeAtomically(to: url) { file in
            try file.root.createGroup("drift").setAttribute("kind", "trpo")
        }
        do {
            _ = try DriftFile.read(from: url)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("unknown drift kind 'trpo'"))
        }
    }
}
