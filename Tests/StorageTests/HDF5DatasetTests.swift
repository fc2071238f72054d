import Foundation
import Storage
import Testing
import TestSupport

@Suite struct HDF5DatasetTests {
    /// Writes `values` with `shape`, closes, reopens and reads them back.
    private func roundTrip<Element: HDF5Element & Equatable>(_ values: [Element], shape: [Int],
                                                             options: HDF5DatasetOptions = .contiguous) throws
        -> (values: [Element], shape: [Int], type: HDF5ElementType) {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("data.h5")
        try HDF5File.writeAtomically(to: url) { file in
            try file.root.write(values, shape: shape, to: "group/values", options: options)
        }
        let file = try HDF5File.open(url)
        let dataset = try file.root.openDataset("group/values")
        let (read, readShape) = try dataset.read(as: Element.self)
        return (read, readShape, try dataset.elementType)
    }

    @Test func everyElementTypeRoundTripsIn3D() throws {
        let shape = [2, 3, 4]
        let n = 24
        let floats = (0..<n).map { Float($0) * 0.25 - 3 }
        let r1 = try roundTrip(floats, shape: shape)
        #expect(r1.values == floats && r1.shape == shape && r1.type == .float32)
        let doubles = (0..<n).map { Double($0) / 7 - 1e-300 }
        let r2 = try roundTrip(doubles, shape: shape)
        #expect(r2.values == doubles && r2.shape == shape && r2.type == .float64)
        let int32s = (0..<n).map { Int32($0) * -10_000_007 }
        let r3 = try roundTrip(int32s, shape: shape)
        #expect(r3.values == int32s && r3.type == .int32)
        let int64s = (0..<n).map { Int64($0) * 1_000_000_000_000 - Int64.max / 2 }
        let r4 = try roundTrip(int64s, shape: shape)
        #expect(r4.values == int64s && r4.type == .int64)
        let bytes = (0..<n).map { UInt8(($0 * 37) % 256) }
        let r5 = try roundTrip(bytes, shape: shape)
        #expect(r5.values == bytes && r5.type == .uint8)
        let bools = (0..<n).map { $0 % 3 == 0 }
        let r6 = try roundTrip(bools, shape: shape)
        #expect(r6.values == bools && r6.shape == shape && r6.type == .uint8)
    }

    @Test func emptyScalarAndOneDimensionalShapes() throws {
        let empty = try roundTrip([Float](), shape: [0])
        #expect(empty.values.isEmpty && empty.shape == [0])
        let emptyRows = try roundTrip([Double](), shape: [3, 0])
        #expect(emptyRows.values.isEmpty && emptyRows.shape == [3, 0])
        let scalar = try roundTrip([Int64(42)], shape: [])
        #expect(scalar.values == [42] && scalar.shape == [])
        let vector = try roundTrip([Float.pi, -0.0, .infinity], shape: [3])
        #expect(vector.values == [Float.pi, -0.0, .infinity] && vector.shape == [3])
    }

    @Test func gzipCompressedDatasetRoundTripsAndIsSmaller() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A smooth, highly compressible signal: 200 x 500 floats = 400 kB raw.
        let values = (0..<100_000).map { Float(($0 / 500) % 7) }
        let plain = directory.appendingPathComponent("plain.h5")
        let packed = directory.appendingPathComponent("packed.h5")
        try HDF5File.writeAtomically(to: plain) { try $0.root.write(values, shape: [200, 500], to: "x") }
        try HDF5File.writeAtomically(to: packed) {
            try $0.root.write(values, shape: [200, 500], to: "x", options: .compressed(level: 6))
        }
        let (read, shape) = try HDF5File.open(packed).root.read("x", as: Float.self)
        #expect(read == values && shape == [200, 500])
        let size = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int }
        #expect(try size(packed) * 10 < size(plain))
        // Compression of an empty dataset falls back to contiguous storage instead of failing.
        let empty = try roundTrip([Float](), shape: [0, 4], options: .compressed())
        #expect(empty.shape == [0, 4])
    }

    @Test func appendGrowsExtendableDatasetsRowByRow() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("curves.h5")
        try HDF5File.writeAtomically(to: url) { file in
            let curve = try file.root.createDataset("returns", of: Double.self, shape: [0], options: .extendableRows)
            #expect(try curve.isExtendable)
            for update in 0..<5 { try curve.append(rows: [Double(update) * 1.5]) }
            let losses = try file.root.createDataset("train/losses", of: Float.self, shape: [0, 3],
                                                     options: HDF5DatasetOptions(compressionLevel: 4, extendable: true))
            try losses.append(rows: [1, 2, 3] as [Float])
            try losses.append(rows: [4, 5, 6, 7, 8, 9] as [Float])
            try losses.append(rows: [Float]())
            #expect(try losses.shape == [3, 3])
        }
        // Reopen read-write and keep appending, as a resumed run would.
        let file = try HDF5File.open(url, mode: .readWrite)
        try file.root.openDataset("returns").append(rows: [100.0])
        try file.close()
        let reread = try HDF5File.open(url).root
        #expect(try reread.read("returns", as: Double.self).values == [0, 1.5, 3, 4.5, 6, 100])
        let losses = try reread.read("train/losses", as: Float.self)
        #expect(losses.values == [1, 2, 3, 4, 5, 6, 7, 8, 9] && losses.shape == [3, 3])
    }

    @Test func appendRejectsFixedDatasetsPartialRowsAndOtherTypes() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("fixed.h5")
        let file = try HDF5File.create(at: url)
        let fixed = try file.root.write([1, 2] as [Float], shape: [2], to: "fixed")
        let error = #expect(throws: HDF5Error.self) { try fixed.append(rows: [3] as [Float]) }
        #expect(error?.kind == .shapeMismatch)
        #expect(error?.message.contains("'/fixed'") == true && error?.message.contains("not extendable") == true)

        let grid = try file.root.createDataset("grid", of: Float.self, shape: [0, 4], options: .extendableRows)
        let partial = #expect(throws: HDF5Error.self) { try grid.append(rows: [1, 2, 3] as [Float]) }
        #expect(partial?.kind == .shapeMismatch && partial?.message.contains("whole rows of 4") == true)
        let wrongType = #expect(throws: HDF5Error.self) { try grid.append(rows: [1, 2, 3, 4] as [Double]) }
        #expect(wrongType?.kind == .typeMismatch)
        #expect(try grid.shape == [0, 4])
    }

    @Test func readingWithTheWrongTypeNamesFileDatasetAndTypes() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("typed.h5")
        try HDF5File.writeAtomically(to: url) { try $0.root.write([1, 2, 3] as [Int64], shape: [3], to: "runs/steps") }
        let root = try HDF5File.open(url).root
        let error = #expect(throws: HDF5Error.self) { try root.read("runs/steps", as: Float.self) }
        #expect(error?.kind == .typeMismatch)
        for part in ["typed.h5", "/runs/steps", "int64", "float32"] {
            #expect(error?.message.contains(part) == true, "message lacks \(part): \(error?.message ?? "")")
        }
        let count = #expect(throws: HDF5Error.self) { try root.write([1.0] as [Double], shape: [2], to: "bad") }
        #expect(count?.kind == .shapeMismatch && count?.message.contains("/bad") == true)
    }

    @Test func missingDatasetAndGroupsAreNamed() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("sparse.h5")
        try HDF5File.writeAtomically(to: url) { try $0.root.createGroup("runs") }
        let root = try HDF5File.open(url).root
        let missing = #expect(throws: HDF5Error.self) { try root.read("runs/returns", as: Float.self) }
        #expect(missing?.kind == .missingObject)
        #expect(missing?.message == "'\(url.path)' has no dataset '/runs/returns'")
        let deep = #expect(throws: HDF5Error.self) { try root.openGroup("nothing/here") }
        #expect(deep?.kind == .missingObject && deep?.message.contains("/nothing/here") == true)
        let wrongKind = #expect(throws: HDF5Error.self) { try root.openDataset("runs") }
        #expect(wrongKind?.kind == .typeMismatch && wrongKind?.message.contains("is a group") == true)
    }

    @Test func groupsNestListAndReportExistence() throws {
        let directory = temporaryDirectory("storage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tree.h5")
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            let c = try root.createGroup("/a/b/c")
            #expect(c.path == "/a/b/c")
            let b = try root.openGroup("a/b")
            try b.write([7] as [Int32], shape: [1], to: "data")
            try b.createGroup("aardvark")
            #expect(try b.group("c").path == "/a/b/c")
            #expect(try b.group("new").path == "/a/b/new")
            // An absolute path from a nested group still starts at the root.
            #expect(try c.openDataset("/a/b/data").path == "/a/b/data")
        }
        let root = try HDF5File.open(url).root
        #expect(try root.children() == ["a"])
        #expect(try root.openGroup("a/b").children() == ["aardvark", "c", "data", "new"])
        #expect(try root.contains("a/b/c") && root.contains("/a/b/data"))
        #expect(try !root.contains("a/x/c"))
        // A path through a dataset is not an error, just absent.
        #expect(try !root.contains("a/b/data/inner"))
        #expect(try root.openGroup("a").contains("b/c"))
    }
}
