import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checksum DriftLab keeps in the user block of every HDF5 file it writes, so that a
/// damaged file is refused before libhdf5 parses it.
///
/// Why: libhdf5 1.10 (Debian 12's) segfaults or loops forever on some files with a single
/// byte changed in object headers; it cannot be fixed from here. HDF5 lets a file start with
/// a "user block" that the library, h5py and HDFView skip, so the file stays plain HDF5.
///
/// Layout: files are created with a 512-byte user block; the HDF5 superblock starts at byte
/// 512. After the file is closed, a 36-byte seal is written at offset 0 and again at 256
/// (a damaged copy falls back to the other):
///
/// | bytes   | content                                                    |
/// |---------|------------------------------------------------------------|
/// | 0..<16  | magic `DRIFTLAB.SEAL.v1`                                   |
/// | 16..<24 | UInt64 little-endian: byte count after the user block      |
/// | 24..<28 | UInt32 little-endian: CRC-32 of those bytes                |
/// | 28..<32 | UInt32 little-endian: user-block size (512)                |
/// | 32..<36 | UInt32 little-endian: CRC-32 of bytes 0..<32 of this copy  |
///
/// A file without the magic (written by h5py, or by DriftLab before seals existed) is read
/// as before, unchecked.
public enum HDF5Seal {
    /// Size of the user block DriftLab files are created with.
    public static let userBlockSize = 512
    /// Offsets of the two copies of the seal.
    static let copyOffsets = [0, 256]
    static let magic = Array("DRIFTLAB.SEAL.v1".utf8)
    static let sealSize = 36
    /// The 8-byte signature that starts an HDF5 superblock.
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// What the user block of a file says.
    public enum State: Equatable, Sendable {
        /// No DriftLab seal: a file from elsewhere, or from before seals.
        case unsealed
        /// Sealed, and the contents match.
        case intact(length: UInt64, checksum: UInt32)
    }

    /// Checks the file at `path` against its seal.
    /// - Throws: `HDF5Error` of kind `.corrupt` naming the file when the seal does not match
    ///   the contents (changed bytes, truncation, appended bytes), `.fileSystem` when it
    ///   cannot be read.
    @discardableResult
    public static func verify(_ file: String, reportingAs name: String? = nil) throws -> State {
        let path = name ?? file
        let descriptor = posixOpen(file, O_RDONLY)
        guard descriptor >= 0 else { throw fileSystemError(path, "open", "cannot open '\(path)'") }
        defer { _ = posixClose(descriptor) }
        let head = try readFully(descriptor, count: userBlockSize, at: 0, path: path)
        guard head.count == userBlockSize else { return .unsealed }
        let copies = copyOffsets.map { parse(Array(head[$0..<($0 + sealSize)])) }
        guard copies.contains(where: { $0 != .absent }) else { return .unsealed }
        guard let seal = copies.lazy.compactMap({ if case let .valid(seal) = $0 { seal } else { nil } }).first else {
            throw corrupt(path, "its DriftLab checksum header is damaged")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw fileSystemError(path, "fstat", "cannot stat '\(path)'") }
        let actual = UInt64(max(0, Int64(info.st_size) - Int64(seal.userBlock)))
        guard actual == seal.length else {
            throw corrupt(path, actual < seal.length
                ? "it is truncated: \(actual) bytes after the user block, its checksum covers \(seal.length)"
                : "it has \(actual - seal.length) bytes more than its checksum covers (\(seal.length))")
        }
        let checksum = try contentChecksum(descriptor, from: Int64(seal.userBlock), path: path)
        guard checksum == seal.checksum else {
            throw corrupt(path, String(format: "its contents do not match its DriftLab checksum (stored %08x, computed %08x)",
                                       seal.checksum, checksum))
        }
        return .intact(length: seal.length, checksum: checksum)
    }

    /// Writes the seal of the closed file at `path`, when the file has an empty (or sealed)
    /// 512-byte user block; files without one (created elsewhere) are left alone.
    /// - Throws: `HDF5Error` of kind `.fileSystem` naming `name` (the file's real name when
    ///   `path` is a temporary) and the system's reason (for example "File too large").
    public static func seal(_ path: String, reportingAs name: String) throws {
        let descriptor = posixOpen(path, O_RDWR)
        guard descriptor >= 0 else { throw fileSystemError(name, "open", "cannot open '\(name)' to seal it") }
        defer { _ = posixClose(descriptor) }
        let head = try readFully(descriptor, count: userBlockSize + hdf5Signature.count, at: 0, path: name)
        guard head.count == userBlockSize + hdf5Signature.count, Array(head[userBlockSize...]) == hdf5Signature else { return }
        let sealedBefore = copyOffsets.contains { Array(head[$0..<($0 + magic.count)]) == magic }
        guard sealedBefore || head[..<userBlockSize].allSatisfy({ $0 == 0 }) else { return }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw fileSystemError(name, "fstat", "cannot stat '\(name)'") }
        let length = UInt64(Int64(info.st_size) - Int64(userBlockSize))
        let checksum = try contentChecksum(descriptor, from: Int64(userBlockSize), path: name)
        var bytes = magic
        bytes += littleEndian(length)
        bytes += littleEndian(checksum)
        bytes += littleEndian(UInt32(userBlockSize))
        bytes += littleEndian(CRC32.checksum(bytes))
        for offset in copyOffsets {
            let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
            guard written == bytes.count else {
                throw fileSystemError(name, "pwrite", "cannot write the checksum of '\(name)'")
            }
        }
    }

    // MARK: Parsing

    struct Seal: Equatable {
        let length: UInt64
        let checksum: UInt32
        let userBlock: Int
    }

    enum Copy: Equatable {
        case absent
        case damaged
        case valid(Seal)
    }

    /// One copy of the seal: absent when the magic is not there, damaged when its own
    /// checksum or its fields are wrong.
    static func parse(_ bytes: [UInt8]) -> Copy {
        guard Array(bytes[0..<magic.count]) == magic else { return .absent }
        func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[offset + $1]) << (8 * $1) }
        }
        guard CRC32.checksum(bytes[0..<32]) == integer(32, UInt32.self) else { return .damaged }
        let block = Int(integer(28, UInt32.self))
        guard block == userBlockSize else { return .damaged }
        return .valid(Seal(length: integer(16, UInt64.self), checksum: integer(24, UInt32.self), userBlock: block))
    }

    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    // MARK: File access

    private static func contentChecksum(_ descriptor: Int32, from offset: Int64, path: String) throws -> UInt32 {
        var crc = CRC32()
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var position = offset
        while true {
            let n = pread(descriptor, buffer.baseAddress, chunk, off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                throw fileSystemError(path, "pread", "cannot read '\(path)'")
            }
            if n == 0 { break }
            crc.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            position += Int64(n)
        }
        return crc.value
    }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    private static func readFully(_ descriptor: Int32, count: Int, at offset: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fileSystemError(path, "pread", "cannot read '\(path)'")
            }
            if n == 0 { break }
            done += n
        }
        bytes.removeSubrange(done...)
        return bytes
    }

    private static func corrupt(_ path: String, _ reason: String) -> HDF5Error {
        HDF5Error(.corrupt, file: path, message: "cannot open '\(path)': the file is damaged: \(reason)")
    }

    private static func fileSystemError(_ path: String, _ call: String, _ what: String) -> HDF5Error {
        HDF5Error(.fileSystem, file: path, call: call, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
