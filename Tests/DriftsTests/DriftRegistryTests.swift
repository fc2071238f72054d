import Foundation
import Storage
import Testing
@testable import Drifts
import TestSupport

/// A drift defined outside the built-in set: `f = c (r - 1)^2 |A|`, `df/dr = 2 c (r - 1) |A|`.
private struct QuadraticDrift: RegisteredDrift, Equatable {
    static let kinds: [DriftKind] = ["quadratic-test"]
    var c: Float
    var kind: DriftKind { Self.kinds[0] }
    var summary: String { "quadratic(c=\(c))" }
    func evaluate(ratio r: Float, advantage a: Float, progress: Float) -> (f: Float, dfdr: Float) {
        (c * (r - 1) * (r - 1) * abs(a), 2 * c * (r - 1) * abs(a))
    }
    static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> QuadraticDrift {
        QuadraticDrift(c: try options.number("c", default: 0.5, where: { $0 > 0 }, "positive"))
    }
    func write(into group: HDF5Group) throws { try group.setAttribute("c", Double(c)) }
    static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> QuadraticDrift {
        QuadraticDrift(c: try positiveAttribute("c", of: group, path: path))
    }
}

@Suite struct DriftRegistryTests {
    init() { DriftRegistry.register(QuadraticDrift.self) }

    @Test func builtInKindsComeFirstInTheirOrder() {
        #expect(Array(DriftRegistry.kinds.prefix(5)) == [.ppo, .dpo, .lpo, .lpoZero, .temporallyAwareLPO])
    }

    @Test func aRegisteredDriftParsesWithDefaultsAndRoundTripsItsSpec() throws {
        let spec = try DriftSpec(parsing: "quadratic-test")
        #expect(spec.description == "quadratic-test:c=0.5")
        #expect(try DriftSpec(parsing: spec.description) == spec)
        #expect(try DriftSpec(parsing: "quadratic-test:c=2").makeDrift() as? QuadraticDrift == QuadraticDrift(c: 2))
        #expect(throws: DriftError.self) { try DriftSpec(parsing: "quadratic-test:c=-1") }
        #expect(throws: DriftError.self) { try DriftSpec(parsing: "quadratic-test:d=1") }
    }

    @Test func aRegisteredDriftRoundTripsThroughADriftFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("q.h5")
        try DriftFile.write(QuadraticDrift(c: 0.25), to: url)
        #expect(try DriftFile.read(from: url) as? QuadraticDrift == QuadraticDrift(c: 0.25))
        #expect(try DriftFile.kind(in: try HDF5File.open(url).root, path: url.path) == "quadratic-test")
    }

    @Test func theDefaultBatchedLoopIsThePerSampleValue() {
        // f(2, -3) = 0.5 * 1 * 3 = 1.5; df/dr = 2 * 0.5 * 1 * 3 = 3; at r = 1 both vanish.
        let drift = QuadraticDrift(c: 0.5)
        let values = drift.evaluate(ratios: [2, 1, 0.5], advantages: [-3, 4, 2])
        #expect(values.drift == [1.5, 0, 0.25])
        #expect(values.derivative == [3, 0, -1])
        #expect(drift.objectiveDerivative(ratio: 2, advantage: -3) == -6)
    }

    @Test func builtInPerSampleAndBatchedPathsAgree() throws {
        let ratios: [Float] = [0.3, 0.79, 1, 1.21, 2.5], advantages: [Float] = [-2, 1.5, 0.7, -0.4, 3]
        // The closed forms run the same arithmetic per sample: exactly equal.
        for drift in [PPODrift() as any Drift, DPODrift()] {
            let batch = drift.evaluate(ratios: ratios, advantages: advantages)
            for i in ratios.indices {
                let one = drift.evaluate(ratio: ratios[i], advantage: advantages[i], progress: 0)
                #expect(one.f == batch.drift[i] && one.dfdr == batch.derivative[i], "\(drift.summary) at \(i)")
            }
        }
        // A network's batch goes through BLAS, whose sums may be ordered differently for one row.
        let network = try NetworkDrift.make(.lpo, initialisation: .random(seed: 4))
        let batch = network.evaluate(ratios: ratios, advantages: advantages)
        for i in ratios.indices {
            let one = network.evaluate(ratio: ratios[i], advantage: advantages[i], progress: 0)
            #expect(abs(Double(one.f - batch.drift[i])) <= Tolerance.float32, "f at \(i)")
            #expect(abs(Double(one.dfdr - batch.derivative[i])) <= Tolerance.float32, "df/dr at \(i)")
        }
    }

    @Test func aKindNobodyRegisteredIsNamedWhenRead() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("mystery.h5")
        try HDF5File.writeAtomically(to: url) { file in
            let group = try file.root.createGroup("drift")
            try group.setAttribute("kind", "mystery")
        }
        #expect(try DriftFile.kind(in: try HDF5File.open(url).root, path: url.path) == "mystery")
        #expect(performing: { try DriftFile.read(from: url) }, throws: { "\($0)".contains("unknown drift kind 'mystery'") })
    }
}
