import Foundation
import Storage
import Testing
import TestSupport

@Suite struct HDF5SealTests {
    @Test func crc32MatchesTheStandardCheckValues() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        // Incremental updates in pieces of every length agree with one pass (the 8-byte path
        // and the byte-by-byte tail must meet).
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for cut in [0, 1, 7, 8, 9, 500, 999] {
            var crc = CRC32()
            crc.update(Array(bytes[..<cut]))
            crc.update(Array(bytes[cut...]))
            #expect(crc.value == CRC32.checksum(bytes))
        }
    }

    private func sealedFile(in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("sealed.h5")
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            try root.setAttribute("note", "a DriftLab file")
            try root.write((0..<400).map(Float.init), shape: [20, 20], to: "values")
        }
        return url
    }

    @Test func writtenFilesAreSealedAndReadBack() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(Array(bytes[0..<16]) == Array("DRIFTLAB.SEAL.v1".utf8))
        #expect(Array(bytes[256..<272]) == Array("DRIFTLAB.SEAL.v1".utf8))
        #expect(Array(bytes[512..<516]) == [0x89, 0x48, 0x44, 0x46], "the HDF5 superblock follows the 512-byte user block")
        let state = try HDF5Seal.verify(url.path)
        #expect(state == .intact(length: UInt64(bytes.count - 512), checksum: CRC32.checksum(bytes[512...])))
        #expect(try HDF5File.open(url).root.read("values", as: Float.self).values == (0..<400).map(Float.init))
        // No lock file or temporary is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["sealed.h5"])
    }

    @Test func everyChangedOrMissingByteIsRefusedBeforeHDF5ReadsTheFile() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        let original = try Data(contentsOf: url)
        let mutant = directory.appendingPathComponent("mutant.h5")
        // Bytes of the superblock, object headers and the data, each flipped.
        for offset in stride(from: 512, to: original.count, by: max(1, original.count / 97)) {
            var bytes = original
            bytes[offset] ^= 0xBD
            try bytes.write(to: mutant)
            let error = #expect(throws: HDF5Error.self) { try HDF5File.open(mutant) }
            #expect(error?.kind == .corrupt, "offset \(offset)")
            #expect(error?.message.hasPrefix("cannot open '\(mutant.path)': the file is damaged: its contents do not match") == true)
        }
        try original.prefix(original.count - 100).write(to: mutant)
        let truncated = #expect(throws: HDF5Error.self) { try HDF5File.open(mutant) }
        #expect(truncated?.message.contains("truncated") == true)
        try (original + Data([1, 2, 3])).write(to: mutant)
        let extended = #expect(throws: HDF5Error.self) { try HDF5File.open(mutant) }
        #expect(extended?.message.contains("3 bytes more") == true)
    }

    @Test func aDamagedCopyOfTheSealFallsBackToTheOther() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        let original = try Data(contentsOf: url)
        for offset in [0, 5, 17, 30, 33, 256, 270, 290] {
            var bytes = original
            bytes[offset] ^= 0x01
            try bytes.write(to: url)
            #expect(throws: Never.self) { try HDF5File.open(url) }
            // With the data also changed, the surviving copy still catches it.
            bytes[original.count - 1] ^= 0x01
            try bytes.write(to: url)
            #expect(throws: HDF5Error.self) { try HDF5File.open(url) }
        }
        var bytes = original
        bytes[20] ^= 1
        bytes[276] ^= 1
        try bytes.write(to: url)
        let error = #expect(throws: HDF5Error.self) { try HDF5File.open(url) }
        #expect(error?.message.contains("checksum header is damaged") == true)
    }

    @Test func filesWithoutASealAreReadAsBefore() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        // The same file with its user block wiped, as another tool would leave it.
        var bytes = try Data(contentsOf: url)
        bytes.replaceSubrange(0..<512, with: Data(count: 512))
        try bytes.write(to: url)
        #expect(try HDF5Seal.verify(url.path) == .unsealed)
        #expect(try HDF5File.open(url).root.attribute("note", as: String.self) == "a DriftLab file")
        // Modifying it in place seals it again.
        let file = try HDF5File.open(url, mode: .readWrite)
        try file.root.setAttribute("more", 1)
        try file.close()
        #expect(try HDF5Seal.verify(url.path) != .unsealed)
        // A file shipped with the project (written before seals) still reads.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/lpo-cartpole.h5")
        if FileManager.default.fileExists(atPath: shipped.path) {
            #expect(try HDF5Seal.verify(shipped.path) == .unsealed)
            #expect(try HDF5File.open(shipped).root.contains("drift"))
        }
    }

    @Test func modifyingKeepsTheSealCurrent() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        try HDF5File.modifyAtomically(url) { try $0.root.write([1, 2, 3] as [Int32], shape: [3], to: "added") }
        guard case .intact = try HDF5Seal.verify(url.path) else { Issue.record("not sealed after modifying"); return }
        #expect(try HDF5File.open(url).root.read("added", as: Int32.self).values == [1, 2, 3])
    }

    @Test func staleTemporariesOfAFileAreRemovedOnItsNextWrite() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = try sealedFile(in: directory)
        let stale = directory.appendingPathComponent(".sealed.h5.\(UUID().uuidString).tmp.h5")
        let other = directory.appendingPathComponent(".other.h5.\(UUID().uuidString).tmp.h5")
        try Data("left by kill -9".utf8).write(to: stale)
        try Data("another file's".utf8).write(to: other)
        try HDF5File.writeAtomically(to: url) { try $0.root.setAttribute("again", 2) }
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: other.path), "only the written file's temporaries go")
    }

    @Test func theOutputLockIsSharedInOneProcessAndRemovedWhenReleased() throws {
        let directory = temporaryDirectory("seal")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.h5")
        let lock = try OutputLock.acquire(url)
        let lockFile = directory.appendingPathComponent(".out.h5.lock")
        #expect(try String(contentsOf: lockFile, encoding: .utf8) == "\(getpid())\n")
        // The holder can still write the file (writeAtomically takes the same lock).
        try HDF5File.writeAtomically(to: url) { try $0.root.setAttribute("x", 1) }
        #expect(FileManager.default.fileExists(atPath: lockFile.path))
        lock.release()
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lockFile.path))
    }
}
