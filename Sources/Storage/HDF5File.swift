import CHDF5
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open HDF5 file; closed when this object goes away or on `close()`.
///
/// Files written here are plain HDF5 1.10 files that h5py and HDFView read: numeric
/// datasets of native types, variable-length UTF-8 string attributes. Groups and datasets
/// opened from a file keep it alive; closing the file closes them too (HDF5's "strong"
/// close degree), so that after `close()` the bytes on disk are complete.
///
/// ```swift
/// try HDF5File.writeAtomically(to: url) { file in
///     let run = try file.root.createGroup("runs/seed0")
///     try run.write([1, 2, 3] as [Float], shape: [3], to: "returns")
///     try run.setAttribute("seed", 0)
/// }
/// ```
public final class HDF5File {
    /// How an existing file is opened.
    public enum Mode: Sendable {
        /// Reading only; any write fails.
        case readOnly
        /// Reading and writing in place.
        case readWrite
    }

    /// The file's location.
    public let url: URL
    /// The path used in messages (the URL's path).
    public var path: String { url.path }
    /// Whether the file is still open.
    public private(set) var isOpen: Bool
    let id: hid_t

    private init(id: hid_t, url: URL) {
        self.id = id
        self.url = url
        self.isOpen = true
    }

    deinit {
        if isOpen && H5Fclose(id) < 0 { _ = H5Eclear2(driftlab_h5e_default()) }
    }

    var context: HDF5Context { HDF5Context(file: path, object: "/") }

    // MARK: Creating and opening

    /// Creates a new, empty file at `url`, replacing any file already there.
    ///
    /// Prefer `writeAtomically(to:_:)`, which never leaves a half-written file behind.
    public static func create(at url: URL) throws -> HDF5File {
        HDF5Status.prepare()
        let context = HDF5Context(file: url.path, object: "/")
        let access = try fileAccessList(context)
        let id = try HDF5Status.check(H5Fcreate(url.path, driftlab_h5f_acc_trunc(), driftlab_h5p_default(), access.id),
                                      "H5Fcreate", context)
        return HDF5File(id: id, url: url)
    }

    /// Opens the existing file at `url`.
    ///
    /// - Throws: `HDF5Error` of kind `.fileNotFound` ("cannot open 'x.h5': file does not
    ///   exist") or `.notHDF5` ("cannot open 'x.h5': not an HDF5 file") before HDF5 is
    ///   asked to open it, and `.libraryCall` if HDF5 still fails.
    public static func open(_ url: URL, mode: Mode = .readOnly) throws -> HDF5File {
        HDF5Status.prepare()
        let context = HDF5Context(file: url.path, object: "/")
        try requireHDF5File(at: url.path)
        let access = try fileAccessList(context)
        let flags = mode == .readOnly ? driftlab_h5f_acc_rdonly() : driftlab_h5f_acc_rdwr()
        let id = try HDF5Status.check(H5Fopen(url.path, flags, access.id), "H5Fopen", context)
        return HDF5File(id: id, url: url)
    }

    /// The root group `/`; attributes of the file as a whole live here.
    public var root: HDF5Group {
        get throws {
            let id = try HDF5Status.check(H5Gopen2(self.id, "/", driftlab_h5p_default()), "H5Gopen2", context)
            return HDF5Group(id: id, file: self, path: "/")
        }
    }

    /// Writes everything buffered to the operating system.
    public func flush() throws {
        try HDF5Status.check(H5Fflush(id, H5F_SCOPE_LOCAL), "H5Fflush", context)
    }

    /// Closes the file and every group and dataset still open in it. Idempotent.
    public func close() throws {
        guard isOpen else { return }
        isOpen = false
        try HDF5Status.check(H5Fclose(id), "H5Fclose", context)
    }

    /// A file-access property list with the strong close degree, so that `H5Fclose`
    /// really closes the file even while Swift objects still hold group or dataset ids.
    private static func fileAccessList(_ context: HDF5Context) throws -> HDF5Handle {
        let list = try HDF5Handle(H5Pcreate(driftlab_h5p_file_access()), close: H5Pclose, call: "H5Pcreate", context)
        try HDF5Status.check(H5Pset_fclose_degree(list.id, H5F_CLOSE_STRONG), "H5Pset_fclose_degree", context)
        return list
    }

    /// Throws a clear error unless `path` names an existing HDF5 file.
    private static func requireHDF5File(at path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error(.fileNotFound, file: path, message: "cannot open '\(path)': file does not exist")
        }
        guard !isDirectory.boolValue else {
            throw HDF5Error(.notHDF5, file: path, message: "cannot open '\(path)': it is a directory, not an HDF5 file")
        }
        let isHDF5 = try HDF5Status.check(H5Fis_hdf5(path), "H5Fis_hdf5", HDF5Context(file: path, object: "/"))
        guard isHDF5 > 0 else {
            throw HDF5Error(.notHDF5, file: path, message: "cannot open '\(path)': not an HDF5 file")
        }
    }

    // MARK: Atomic replacement

    /// Creates a new file through `body` and puts it at `url` in one step.
    ///
    /// The file is written to a temporary file in the same directory, closed, synced to
    /// disk and renamed over `url`. If `body` throws (or the process dies) the temporary
    /// file is discarded and any previous file at `url` is left exactly as it was.
    /// `body` must not keep the file, groups or datasets beyond its return.
    @discardableResult
    public static func writeAtomically<Result>(to url: URL, _ body: (HDF5File) throws -> Result) throws -> Result {
        let temporary = temporaryURL(besides: url)
        return try replace(url, with: temporary, opening: { try HDF5File.create(at: temporary) }, body)
    }

    /// Modifies a copy of the existing file at `url` through `body` and puts the copy in
    /// place in one step; used to add checkpoints to a run file without risking it.
    ///
    /// If `body` throws, the copy is discarded and the file at `url` is unchanged.
    @discardableResult
    public static func modifyAtomically<Result>(_ url: URL, _ body: (HDF5File) throws -> Result) throws -> Result {
        try requireHDF5File(at: url.path)
        let temporary = temporaryURL(besides: url)
        do {
            try FileManager.default.copyItem(at: url, to: temporary)
        } catch {
            throw HDF5Error(.fileSystem, file: url.path, call: "copyItem",
                            message: "cannot copy '\(url.path)' to '\(temporary.path)': \(error.localizedDescription)")
        }
        return try replace(url, with: temporary, opening: { try HDF5File.open(temporary, mode: .readWrite) }, body)
    }

    /// Opens `temporary`, runs `body`, closes, syncs and renames it over `target`;
    /// removes `temporary` on any failure.
    private static func replace<Result>(_ target: URL, with temporary: URL, opening: () throws -> HDF5File,
                                        _ body: (HDF5File) throws -> Result) throws -> Result {
        do {
            let file = try opening()
            let result: Result
            do {
                result = try body(file)
            } catch {
                // The body's error is the one to report; a failure to close the doomed
                // temporary file adds nothing.
                do { try file.close() } catch {}
                throw error
            }
            try file.close()
            try syncToDisk(temporary, reportingAs: target.path)
            guard rename(temporary.path, target.path) == 0 else {
                throw HDF5Error(.fileSystem, file: target.path, call: "rename",
                                message: "cannot rename '\(temporary.path)' to '\(target.path)': \(errnoMessage())")
            }
            return result
        } catch {
            // Best effort: the temporary may not exist if creating it failed.
            _ = unlink(temporary.path)
            throw error
        }
    }

    /// A hidden, unique file name next to `url` (same directory, so `rename` is atomic).
    private static func temporaryURL(besides url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp.h5")
    }

    /// `fsync`s the file at `url` so the rename never exposes a file whose data is not yet
    /// on disk.
    private static func syncToDisk(_ url: URL, reportingAs target: String) throws {
        let descriptor = posixOpen(url.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw HDF5Error(.fileSystem, file: target, call: "open",
                            message: "cannot open '\(url.path)' to sync it: \(errnoMessage())")
        }
        defer { _ = posixClose(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw HDF5Error(.fileSystem, file: target, call: "fsync",
                            message: "cannot sync '\(url.path)': \(errnoMessage())")
        }
    }

    private static func errnoMessage() -> String { String(cString: strerror(errno)) }
}

// `HDF5File` has its own `open` and `close`; these name the POSIX calls unambiguously.
#if canImport(Glibc)
private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
private func posixClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#elseif canImport(Darwin)
private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { Darwin.open(path, flags) }
private func posixClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#endif
