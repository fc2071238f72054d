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
    /// The path used in messages: the URL's path, or the real file's for the temporary
    /// file of an atomic write.
    public let path: String
    /// Whether the file is still open.
    public private(set) var isOpen: Bool
    /// Whether the file was created or opened for writing: closing it then writes its
    /// checksum (`HDF5Seal`).
    let isWritable: Bool
    let id: hid_t

    private init(id: hid_t, url: URL, name: String, isWritable: Bool) {
        self.id = id
        self.url = url
        self.path = name
        self.isWritable = isWritable
        self.isOpen = true
    }

    deinit {
        guard isOpen else { return }
        if H5Fclose(id) < 0 {
            _ = H5Eclear2(driftlab_h5e_default())
        } else if isWritable {
            // Best effort: a file dropped without `close()` still gets its checksum; if that
            // fails, the stale checksum makes the next reader refuse the file, as it should.
            do { try HDF5Seal.seal(url.path, reportingAs: path) } catch {}
        }
    }

    var context: HDF5Context { HDF5Context(file: path, object: "/") }

    // MARK: Creating and opening

    /// Creates a new, empty file at `url`, replacing any file already there.
    ///
    /// Prefer `writeAtomically(to:_:)`, which never leaves a half-written file behind.
    ///
    /// The file gets a 512-byte user block, where `close()` writes a checksum of the rest
    /// (`HDF5Seal`); h5py and HDFView skip it.
    public static func create(at url: URL) throws -> HDF5File {
        try create(at: url, reportingAs: url.path)
    }

    /// Creates a file at `url` whose messages name `name` (the real file of a temporary).
    static func create(at url: URL, reportingAs name: String) throws -> HDF5File {
        HDF5Status.prepare()
        let context = HDF5Context(file: name, object: "/")
        let access = try fileAccessList(context)
        let creation = try HDF5Handle(H5Pcreate(driftlab_h5p_file_create()), close: H5Pclose, call: "H5Pcreate", context)
        try HDF5Status.check(H5Pset_userblock(creation.id, hsize_t(HDF5Seal.userBlockSize)), "H5Pset_userblock", context)
        let id = try HDF5Status.check(H5Fcreate(url.path, driftlab_h5f_acc_trunc(), creation.id, access.id),
                                      "H5Fcreate", context)
        return HDF5File(id: id, url: url, name: name, isWritable: true)
    }

    /// Opens the existing file at `url`.
    ///
    /// A file DriftLab wrote carries a checksum (`HDF5Seal`), checked here before HDF5
    /// reads a byte of it, because libhdf5 1.10 can crash or hang on damaged files.
    ///
    /// - Throws: `HDF5Error` of kind `.fileNotFound` ("cannot open 'x.h5': file does not
    ///   exist"), `.notHDF5` ("cannot open 'x.h5': not an HDF5 file") or `.corrupt`
    ///   ("cannot open 'x.h5': the file is damaged: ...") before HDF5 is asked to open it,
    ///   and `.libraryCall` if HDF5 still fails.
    public static func open(_ url: URL, mode: Mode = .readOnly) throws -> HDF5File {
        try open(url, mode: mode, reportingAs: url.path)
    }

    static func open(_ url: URL, mode: Mode, reportingAs name: String) throws -> HDF5File {
        HDF5Status.prepare()
        let context = HDF5Context(file: name, object: "/")
        try requireHDF5File(at: url.path, reportingAs: name)
        let access = try fileAccessList(context)
        let flags = mode == .readOnly ? driftlab_h5f_acc_rdonly() : driftlab_h5f_acc_rdwr()
        let id = try HDF5Status.check(H5Fopen(url.path, flags, access.id), "H5Fopen", context)
        return HDF5File(id: id, url: url, name: name, isWritable: mode == .readWrite)
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

    /// Closes the file and every group and dataset still open in it, then (for a file
    /// written here) writes its checksum into the user block. Idempotent.
    public func close() throws {
        guard isOpen else { return }
        isOpen = false
        try HDF5Status.check(H5Fclose(id), "H5Fclose", context)
        if isWritable { try HDF5Seal.seal(url.path, reportingAs: path) }
    }

    /// Closes a file whose contents are being thrown away, ignoring failures (a full disk
    /// makes HDF5's close fail too), and makes sure HDF5 keeps nothing of it open: an id
    /// left open would be flushed again by HDF5's exit handler, which can crash after an
    /// earlier write error.
    func discard() {
        guard isOpen else { return }
        isOpen = false
        if H5Fclose(id) < 0 {
            _ = H5Eclear2(driftlab_h5e_default())
            // Close whatever of this file is still open, one object at a time.
            let count = H5Fget_obj_count(id, driftlab_h5f_obj_all())
            if count > 0 {
                var ids = [hid_t](repeating: 0, count: Int(count))
                let n = H5Fget_obj_ids(id, driftlab_h5f_obj_all(), Int(count), &ids)
                for k in 0..<max(0, Int(n)) where ids[k] != id { _ = H5Oclose(ids[k]) }
            }
            _ = H5Fclose(id)
            _ = H5Eclear2(driftlab_h5e_default())
        }
    }

    /// A file-access property list with the strong close degree, so that `H5Fclose`
    /// really closes the file even while Swift objects still hold group or dataset ids.
    private static func fileAccessList(_ context: HDF5Context) throws -> HDF5Handle {
        let list = try HDF5Handle(H5Pcreate(driftlab_h5p_file_access()), close: H5Pclose, call: "H5Pcreate", context)
        try HDF5Status.check(H5Pset_fclose_degree(list.id, H5F_CLOSE_STRONG), "H5Pset_fclose_degree", context)
        return list
    }

    /// Throws a clear error unless `path` names an existing, undamaged HDF5 file; `name`
    /// is the path used in messages.
    private static func requireHDF5File(at path: String, reportingAs name: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HDF5Error(.fileNotFound, file: name, message: "cannot open '\(name)': file does not exist")
        }
        guard !isDirectory.boolValue else {
            throw HDF5Error(.notHDF5, file: name, message: "cannot open '\(name)': it is a directory, not an HDF5 file")
        }
        guard access(path, R_OK) == 0 else {
            throw HDF5Error(.fileSystem, file: name, call: "access", message: "cannot open '\(name)': \(errnoMessage())")
        }
        try HDF5Seal.verify(path, reportingAs: name)
        let isHDF5 = try HDF5Status.check(H5Fis_hdf5(path), "H5Fis_hdf5", HDF5Context(file: name, object: "/"))
        guard isHDF5 > 0 else {
            throw HDF5Error(.notHDF5, file: name, message: "cannot open '\(name)': not an HDF5 file")
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
    ///
    /// The write holds the file's `OutputLock`, so another process writing the same file
    /// fails with a clear error; temporary files of earlier writes that died (`kill -9`)
    /// are removed first.
    public static func writeAtomically<Result>(to url: URL, _ body: (HDF5File) throws -> Result) throws -> Result {
        try whileLocked(url) {
            let temporary = temporaryURL(besides: url)
            return try replace(url, with: temporary, opening: { try HDF5File.create(at: temporary, reportingAs: url.path) }, body)
        }
    }

    /// Modifies a copy of the existing file at `url` through `body` and puts the copy in
    /// place in one step; used to add checkpoints to a run file without risking it.
    ///
    /// If `body` throws, the copy is discarded and the file at `url` is unchanged.
    @discardableResult
    public static func modifyAtomically<Result>(_ url: URL, _ body: (HDF5File) throws -> Result) throws -> Result {
        try whileLocked(url) {
            try requireHDF5File(at: url.path, reportingAs: url.path)
            let temporary = temporaryURL(besides: url)
            do {
                try FileManager.default.copyItem(at: url, to: temporary)
            } catch {
                _ = unlink(temporary.path)
                throw HDF5Error(.fileSystem, file: url.path, call: "copyItem",
                                message: "cannot copy '\(url.path)' for modifying it: \(error.localizedDescription)")
            }
            return try replace(url, with: temporary, opening: {
                try HDF5File.open(temporary, mode: .readWrite, reportingAs: url.path)
            }, body)
        }
    }

    /// Runs `body` holding `url`'s output lock, after removing stale temporary files of
    /// `url` when no other thread of this process is writing it.
    private static func whileLocked<Result>(_ url: URL, _ body: () throws -> Result) throws -> Result {
        let lock = try OutputLock.acquire(url)
        defer { lock.release() }
        lock.beginWrite(ifAlone: { removeStaleTemporaries(of: url) })
        defer { lock.endWrite() }
        return try body()
    }

    /// Deletes `.NAME.UUID.tmp.h5` files next to `url`: while its lock is held, no live
    /// writer can be using one, so they are left over from a process that was killed.
    static func removeStaleTemporaries(of url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp.h5") && name.count == prefix.count + 36 + 7 {
            _ = unlink(directory.appendingPathComponent(name).path)
        }
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
                file.discard()
                throw error
            }
            try file.close()
            try syncToDisk(temporary, reportingAs: target.path)
            guard rename(temporary.path, target.path) == 0 else {
                throw HDF5Error(.fileSystem, file: target.path, call: "rename",
                                message: "cannot write '\(target.path)': renaming its temporary file failed: \(errnoMessage())")
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
                            message: "cannot write '\(target)': cannot open its temporary file to sync it: \(errnoMessage())")
        }
        defer { _ = posixClose(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw HDF5Error(.fileSystem, file: target, call: "fsync", message: "cannot write '\(target)': \(errnoMessage())")
        }
    }

    private static func errnoMessage() -> String { String(cString: strerror(errno)) }
}
