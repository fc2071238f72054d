import Foundation
import Storage
import Testing
import TestSupport

@Suite struct HDF5FileTests {
    struct Abort: Error {}

    @Test func missingFileIsNamed() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("x.h5")
        let error = #expect(throws: HDF5Error.self) { try HDF5File.open(url) }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.message == "cannot open '\(url.path)': file does not exist")
        let modify = #expect(throws: HDF5Error.self) { try HDF5File.modifyAtomically(url) { _ in } }
        #expect(modify?.kind == .fileNotFound)
    }

    @Test func nonHDF5FileIsNamed() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("notes.h5")
        try Data("just text, not HDF5\n".utf8).write(to: url)
        let error = #expect(throws: HDF5Error.self) { try HDF5File.open(url, mode: .readWrite) }
        #expect(error?.kind == .notHDF5)
        #expect(error?.message == "cannot open '\(url.path)': not an HDF5 file")
        let empty = directory.appendingPathComponent("empty.h5")
        try Data().write(to: empty)
        #expect(throws: HDF5Error.self) { try HDF5File.open(empty) }
        #expect(throws: HDF5Error.self) { try HDF5File.open(directory) }
    }

    @Test func libraryFailuresCarryCallPathAndHDF5Message() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ro.h5")
        try HDF5File.writeAtomically(to: url) { try $0.root.createGroup("g") }
        let root = try HDF5File.open(url).root
        let error = #expect(throws: HDF5Error.self) { try root.createGroup("h") }
        #expect(error?.kind == .libraryCall && error?.call == "H5Gcreate2")
        #expect(error?.message.hasPrefix("H5Gcreate2 failed on '/h' in '\(url.path)': ") == true)
        // HDF5's own explanation follows the colon.
        #expect((error?.message.count ?? 0) > "H5Gcreate2 failed on '/h' in '\(url.path)': ".count + 10)
        let twice = #expect(throws: HDF5Error.self) {
            let file = try HDF5File.create(at: directory.appendingPathComponent("dup.h5"))
            try file.root.createGroup("same")
            try file.root.createGroup("same")
        }
        #expect(twice?.call == "H5Gcreate2" && twice?.object == "/same")
        let nowhere = directory.appendingPathComponent("no/such/dir/x.h5")
        let create = #expect(throws: HDF5Error.self) { try HDF5File.create(at: nowhere) }
        #expect(create?.call == "H5Fcreate" && create?.message.contains(nowhere.path) == true)
    }

    @Test func atomicWriteLeavesPreviousFileIntactWhenBodyThrows() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("run.h5")
        try HDF5File.writeAtomically(to: url) { try $0.root.write([1, 2, 3] as [Float], shape: [3], to: "old") }
        let before = try Data(contentsOf: url)
        #expect(throws: Abort.self) {
            try HDF5File.writeAtomically(to: url) { file in
                try file.root.write([9, 9] as [Float], shape: [2], to: "new")
                throw Abort()
            }
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try HDF5File.open(url).root.read("old", as: Float.self).values == [1, 2, 3])
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.h5"])
        // A failed first write leaves no file at all.
        let fresh = directory.appendingPathComponent("fresh.h5")
        #expect(throws: Abort.self) { try HDF5File.writeAtomically(to: fresh) { _ in throw Abort() } }
        #expect(!FileManager.default.fileExists(atPath: fresh.path))
    }

    @Test func modifyAtomicallyAppendsOrLeavesFileUnchanged() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("run.h5")
        try HDF5File.writeAtomically(to: url) { file in
            try file.root.createDataset("curve", of: Double.self, shape: [0], options: .extendableRows)
                .append(rows: [1.0, 2.0])
        }
        let count = try HDF5File.modifyAtomically(url) { file in
            let root = try file.root
            try root.openDataset("curve").append(rows: [3.0])
            try root.createGroup("checkpoints/update_3").setAttribute("update", 3)
            return try root.openDataset("curve").shape[0]
        }
        #expect(count == 3)
        let before = try Data(contentsOf: url)
        #expect(throws: Abort.self) {
            try HDF5File.modifyAtomically(url) { file in
                try file.root.openDataset("curve").append(rows: [4.0])
                throw Abort()
            }
        }
        #expect(try Data(contentsOf: url) == before)
        let root = try HDF5File.open(url).root
        #expect(try root.read("curve", as: Double.self).values == [1, 2, 3])
        #expect(try root.openGroup("checkpoints/update_3").attribute("update", as: Int.self) == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["run.h5"])
    }

    @Test func closeIsIdempotentAndFlushesEverything() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("close.h5")
        let file = try HDF5File.create(at: url)
        let dataset = try file.root.write([5, 6] as [UInt8], shape: [2], to: "bytes")
        try file.flush()
        try file.close()
        try file.close()
        #expect(!file.isOpen)
        // The dataset object outlived the file's close; the bytes are on disk regardless.
        _ = dataset
        #expect(try HDF5File.open(url).root.read("bytes", as: UInt8.self).values == [5, 6])
    }
}

@Suite struct HDF5CopyTests {
    @Test func copiesAGroupTreeIntoAnotherFile() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = dir.appendingPathComponent("a.h5"), b = dir.appendingPathComponent("b.h5")
        try HDF5File.writeAtomically(to: a) { file in
            let g = try file.root.createGroup("rollouts/update_1")
            try g.write([Float](repeating: 1.5, count: 600), shape: [20, 30], to: "obs", options: .compressed(level: 4))
            try g.setAttribute("update", 1)
        }
        let source = try HDF5File.open(a)
        try HDF5File.writeAtomically(to: b) { file in
            try file.root.createGroup("rollouts")
            try source.root.copy("rollouts/update_1", to: try file.root)
        }
        let copied = try HDF5File.open(b).root
        #expect(try copied.read("rollouts/update_1/obs", as: Float.self).shape == [20, 30])
        #expect(try copied.openGroup("rollouts/update_1").attribute("update", as: Int.self) == 1)
        #expect(throws: HDF5Error.self) { try source.root.copy("missing", to: try HDF5File.open(b, mode: .readWrite).root) }
    }
}
