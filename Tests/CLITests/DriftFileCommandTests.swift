import Drifts
import Foundation
import Storage
import Tensors
import Testing
import TestSupport

@Suite struct DriftFileCommandTests {
    @Test func saveThenCheckAndMapAFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("lpo.h5").path
        let save = try DriftLabBinary.run(["drift", "save", "lpo:init=random,seed=3", "--out", path])
        #expect(save.status == 0, "\(save.stderr)")
        // The file holds the same network the spec makes, and records its provenance.
        let stored = try #require(try DriftFile.read(from: URL(fileURLWithPath: path)) as? NetworkDrift)
        #expect(stored == (try NetworkDrift.make(.lpo, initialisation: .random(seed: 3))))
        let root = try HDF5File.open(URL(fileURLWithPath: path)).root
        #expect(!(try root.attribute("driftlab_version", as: String.self)).isEmpty)
        // The OpenBLAS kernel set, the one this test process loaded (same machine, same environment).
        #expect(try root.attribute("blas_core", as: String.self) == BLAS.coreName)
        let check = try DriftLabBinary.run(["drift", "check", path, "--resolution", "21"])
        #expect(check.status == 0 && check.stdout.contains("valid Mirror-Learning drift"))
    }

    @Test func checkFailsForAnInvalidDrift() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("biased.h5")
        let base = try NetworkDrift.make(.lpo, initialisation: .random(seed: 1))
        let biased = try NetworkDrift(kind: .lpo, features: .standard, activation: .tanh,
                                      layers: [base.layers[0], .init(kernel: base.layers[1].kernel, bias: [0.3])],
                                      ppoEpsilon: 0.2)
        try DriftFile.write(biased, to: url)
        let check = try DriftLabBinary.run(["drift", "check", url.path, "--resolution", "21"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("f(1, A) = 0: FAILS"))
        #expect(check.stdout.contains("not a valid Mirror-Learning drift"))
    }

    @Test func nonDriftFilesGiveOneLineErrors() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = dir.appendingPathComponent("other.h5")
        try HDF5File.writeAtomically(to: other) { file in try file.root.write([Int32(1)], shape: [1], to: "x") }
        let text = dir.appendingPathComponent("text.h5")
        try Data("plain text".utf8).write(to: text)
        for (url, mention) in [(other, "not a DriftLab drift file"), (text, "not an HDF5 file")] {
            let result = try DriftLabBinary.run(["drift", "check", url.path])
            #expect(result.status != 0)
            #expect(result.stderr.contains(url.path) && result.stderr.contains(mention), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 2)
        }
    }
}
