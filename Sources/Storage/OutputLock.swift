import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive claim on an output file, so that two processes never write the same file:
/// the second one gets a clear error instead of silently replacing the first one's work.
///
/// The lock is a `flock` on a hidden file beside the output (`.NAME.lock`, holding the
/// owner's pid), not on the output itself: outputs are replaced by rename on every write,
/// and a lock on the old inode would protect nothing. Within one process the lock is
/// shared: a command that holds it for a whole run can still call `writeAtomically`, which
/// takes it for each write. The hidden file is removed on release; after a `kill -9` it is
/// left behind, harmless, and the next writer reuses it.
///
/// ```swift
/// let lock = try OutputLock.acquire(URL(fileURLWithPath: "run.h5"))  // throws if another process writes run.h5
/// defer { lock.release() }
/// ```
public final class OutputLock: @unchecked Sendable {
    /// The output file this lock claims.
    public let url: URL
    private let state: State
    private var released = false

    private init(url: URL, state: State) {
        self.url = url
        self.state = state
    }

    deinit { release() }

    /// Claims `url` for writing.
    /// - Throws: `HDF5Error` of kind `.locked` naming the file and the other process when
    ///   another process holds it, `.fileSystem` when the lock file cannot be made.
    public static func acquire(_ url: URL) throws -> OutputLock {
        let key = lockPath(for: url)
        registryLock.lock()
        defer { registryLock.unlock() }
        if let state = registry[key] {
            state.holders += 1
            return OutputLock(url: url, state: state)
        }
        let descriptor = try lockFile(key, output: url.path)
        let state = State(descriptor: descriptor, path: key)
        registry[key] = state
        return OutputLock(url: url, state: state)
    }

    /// Gives the claim up (idempotent); the last holder in the process removes the lock file.
    public func release() {
        Self.registryLock.lock()
        defer { Self.registryLock.unlock() }
        guard !released else { return }
        released = true
        state.holders -= 1
        guard state.holders == 0 else { return }
        Self.registry[state.path] = nil
        // Unlink while still holding the lock: a process waiting on the old inode notices
        // the change (see `lockFile`) and starts over.
        _ = unlink(state.path)
        _ = lockClose(state.descriptor)
    }

    /// Marks a write to the output as started, running `body` first when no other thread of
    /// this process is writing the same output (then no temporary file of it is in use).
    /// Pair with `endWrite()`.
    func beginWrite(ifAlone body: () -> Void) {
        Self.registryLock.lock()
        let alone = state.writes == 0
        state.writes += 1
        Self.registryLock.unlock()
        if alone { body() }
    }

    /// Marks this process's write to the output as finished.
    func endWrite() {
        Self.registryLock.lock()
        state.writes -= 1
        Self.registryLock.unlock()
    }

    // MARK: Internals

    private final class State {
        let descriptor: Int32
        let path: String
        var holders = 1
        var writes = 0
        init(descriptor: Int32, path: String) {
            self.descriptor = descriptor
            self.path = path
        }
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var registry: [String: State] = [:]

    /// `.NAME.lock` in the output's folder, by absolute path so every spelling of a file
    /// shares one lock.
    static func lockPath(for url: URL) -> String {
        let absolute = url.standardizedFileURL
        return absolute.deletingLastPathComponent().appendingPathComponent(".\(absolute.lastPathComponent).lock").path
    }

    /// Opens and locks `path`, retrying when the file was replaced between open and lock.
    private static func lockFile(_ path: String, output: String) throws -> Int32 {
        while true {
            let descriptor = lockOpen(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw HDF5Error(.fileSystem, file: output, call: "open",
                                message: "cannot lock '\(output)' for writing: cannot create '\(path)': \(String(cString: strerror(errno)))")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let reason = errno
                let owner = readOwner(descriptor)
                _ = lockClose(descriptor)
                guard reason == EWOULDBLOCK || reason == EAGAIN else {
                    throw HDF5Error(.fileSystem, file: output, call: "flock",
                                    message: "cannot lock '\(output)' for writing: \(String(cString: strerror(reason)))")
                }
                throw HDF5Error(.locked, file: output, call: "flock",
                                message: "'\(output)' is being written by another process\(owner.map { " (pid \($0))" } ?? ""); "
                                    + "wait for it to finish or stop it first")
            }
            var held = stat(), current = stat()
            if fstat(descriptor, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                let pid = Array("\(getpid())\n".utf8)
                _ = ftruncate(descriptor, 0)
                _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                return descriptor
            }
            _ = lockClose(descriptor)
        }
    }

    private static func readOwner(_ descriptor: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

#if canImport(Glibc)
private func lockOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }
private func lockClose(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
#elseif canImport(Darwin)
private func lockOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Darwin.open(path, flags, mode) }
private func lockClose(_ descriptor: Int32) -> Int32 { Darwin.close(descriptor) }
#endif
