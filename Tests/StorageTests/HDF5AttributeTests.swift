import Foundation
import Storage
import Testing
import TestSupport

@Suite struct HDF5AttributeTests {
    @Test func everyKindRoundTripsOnFileGroupAndDataset() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("attrs.h5")
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            try root.setAttribute("version", "0.1.0")
            try root.setAttribute("seed", Int64(-9_000_000_000))
            let run = try root.createGroup("runs/seed0")
            try run.setAttribute("learning_rate", 2.5e-4)
            try run.setAttribute("updates", 1953)
            try run.setAttribute("env_names", ["Breakout", "Asterix", "SpaceInvaders"])
            try run.setAttribute("alphas", [0.5, -1.25, 3e10])
            try run.setAttribute("steps", [Int64(1), 2, -3])
            try run.setAttribute("no_names", [String]())
            let returns = try run.write([1, 2] as [Float], shape: [2], to: "returns")
            try returns.setAttribute("units", "episodic return")
        }
        let root = try HDF5File.open(url).root
        #expect(try root.attribute("version", as: String.self) == "0.1.0")
        #expect(try root.attribute("seed", as: Int64.self) == -9_000_000_000)
        let run = try root.openGroup("runs/seed0")
        #expect(try run.attribute("learning_rate", as: Double.self) == 2.5e-4)
        #expect(try run.attribute("updates", as: Int.self) == 1953)
        #expect(try run.attributeValue("updates") == .int64(1953))
        #expect(try run.attribute("env_names", as: [String].self) == ["Breakout", "Asterix", "SpaceInvaders"])
        #expect(try run.attribute("alphas", as: [Double].self) == [0.5, -1.25, 3e10])
        #expect(try run.attribute("steps", as: [Int64].self) == [1, 2, -3])
        #expect(try run.attribute("no_names", as: [String].self) == [])
        #expect(try run.attributeNames() == ["alphas", "env_names", "learning_rate", "no_names", "steps", "updates"])
        #expect(try run.openDataset("returns").attribute("units", as: String.self) == "episodic return")
        // A scalar reads as a one-element array and vice versa.
        #expect(try run.attribute("updates", as: [Int64].self) == [1953])
    }

    @Test func unicodeStringsSurviveExactly() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("unicode.h5")
        let label = "drift f(r, A) \u{2212} π·β ≤ 1e\u{2212}3 — naïve 学习 🎲"
        let names = ["α-LPO", "", "Ünïcödé", "emoji 🧪"]
        try HDF5File.writeAtomically(to: url) { file in
            try file.root.setAttribute("label", label)
            try file.root.setAttribute("names", names)
        }
        let root = try HDF5File.open(url).root
        #expect(try root.attribute("label", as: String.self) == label)
        #expect(try root.attribute("names", as: [String].self) == names)
    }

    @Test func overwritingReplacesValueAndKind() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try HDF5File.create(at: directory.appendingPathComponent("over.h5"))
        let root = try file.root
        try root.setAttribute("x", 1)
        try root.setAttribute("x", "one")
        #expect(try root.attributeValue("x") == .string("one"))
        #expect(try root.attributeNames() == ["x"])
    }

    @Test func missingAndMistypedAttributesAreNamed() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("typed-attrs.h5")
        try HDF5File.writeAtomically(to: url) { file in
            try file.root.createGroup("run").setAttribute("seed", 3)
        }
        let run = try HDF5File.open(url).root.openGroup("run")
        let missing = #expect(throws: HDF5Error.self) { try run.attribute("preset", as: String.self) }
        #expect(missing?.kind == .missingObject)
        #expect(missing?.message == "no attribute 'preset' on '/run' in '\(url.path)'")
        let mistyped = #expect(throws: HDF5Error.self) { try run.attribute("seed", as: Double.self) }
        #expect(mistyped?.kind == .typeMismatch)
        for part in ["'seed'", "'/run'", "typed-attrs.h5", "Int64", "Double"] {
            #expect(mistyped?.message.contains(part) == true, "message lacks \(part): \(mistyped?.message ?? "")")
        }
        #expect(throws: HDF5Error.self) { try run.attribute("seed", as: String.self) }
        #expect(try !run.hasAttribute("preset") && run.hasAttribute("seed"))
    }
}
