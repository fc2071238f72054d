import Foundation
import Storage
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The fuzz suite's machinery: runs the real binary under a deadline and judges the outcome,
/// mutates bytes, and rebuilds HDF5 files with structural edits.
enum Fuzz {
    /// How one run of a reading command on a mutant ended.
    enum Verdict: Equatable {
        case fine
        /// Killed by a signal (segfault, trap, abort).
        case crash(Int32)
        /// Still running at the deadline.
        case hang
        /// A failure whose message is not one line naming the file.
        case unclear(String)
    }

    /// Counts over a set of cases, with the first few problems kept for the failure message.
    struct Tally: CustomStringConvertible {
        var cases = 0, crashes = 0, hangs = 0, unclear = 0
        var examples: [String] = []

        mutating func add(_ verdict: Verdict, _ what: String) {
            cases += 1
            switch verdict {
            case .fine: return
            case .crash: crashes += 1
            case .hang: hangs += 1
            case .unclear: unclear += 1
            }
            if examples.count < 8 { examples.append("\(what): \(verdict)") }
        }

        var description: String {
            "\(cases) cases, \(crashes) crashes, \(hangs) hangs, \(unclear) unclear errors"
                + (examples.isEmpty ? "" : "; e.g. " + examples.joined(separator: " | "))
        }
    }

    /// Runs `driftlab args` in `directory`, killing it after `timeout` seconds.
    static func run(_ args: [String], in directory: URL, timeout: TimeInterval = 20) throws
        -> (status: Int32, signaled: Bool, timedOut: Bool, stdout: String, stderr: String) {
        let out = directory.appendingPathComponent(".out-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = DriftLabBinary.url
        process.arguments = args
        process.currentDirectoryURL = directory
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        defer { try? outHandle.close(); try? errHandle.close() }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        var timedOut = false
        if done.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            done.wait()
        }
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, timedOut,
                String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    /// Runs a reading command on `file` and judges it: no signal, no hang, and a failure is one
    /// line that names the file (ArgumentParser's usage lines aside).
    static func judge(_ args: [String], file: URL, in directory: URL) throws -> Verdict {
        let r = try run(args, in: directory)
        if r.timedOut { return .hang }
        if r.signaled { return .crash(r.status) }
        // 128 + signal: a child of the command died (notebooks report it this way).
        if r.status > 128 && r.status != 130 { return .crash(r.status - 128) }
        if r.status == 0 { return .fine }
        func meaningful(_ text: String) -> [String] {
            text.split(whereSeparator: \.isNewline).map(String.init).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("Usage:") && !$0.hasPrefix("  See '")
            }
        }
        let name = file.lastPathComponent
        let errors = meaningful(r.stderr)
        if errors.isEmpty {
            // `notebook check` reports staleness on standard output.
            return r.stdout.contains(name) ? .fine : .unclear("exit \(r.status) with nothing naming \(name)")
        }
        guard errors.count == 1 else { return .unclear("\(errors.count) lines: \(errors.prefix(2).joined(separator: " / "))") }
        return errors[0].contains(name) ? .fine : .unclear(errors[0])
    }

    // MARK: Mutations

    /// `bytes` cut to a random length.
    static func truncated(_ bytes: Data, _ random: inout RandomText) -> Data {
        bytes.prefix(random.below(bytes.count))
    }

    /// `bytes` with one to three bytes changed in `range` (clamped to the data).
    static func changed(_ bytes: Data, in range: Range<Int>, _ random: inout RandomText) -> Data {
        var copy = bytes
        let range = max(0, range.lowerBound)..<min(bytes.count, range.upperBound)
        guard !range.isEmpty else { return copy }
        for _ in 0...random.below(3) {
            let offset = range.lowerBound + random.below(range.count)
            let interesting: [UInt8] = [0x00, 0xFF, 0xBD, 0x7F, 0x80, 0x01]
            copy[offset] = random.below(2) == 0 ? interesting[random.below(interesting.count)] : copy[offset] ^ UInt8(1 + random.below(255))
        }
        return copy
    }

    // MARK: Structural edits of HDF5 files

    /// One change to an HDF5 file: an object (`/a/b`) or attribute (`/a/b@name`) removed, or
    /// replaced (or added) by `write(parent, name)`.
    struct Edit {
        let path: String
        let write: ((HDF5Group, String) throws -> Void)?

        static func remove(_ path: String) -> Edit { Edit(path: path, write: nil) }
        static func replace(_ path: String, _ write: @escaping (HDF5Group, String) throws -> Void) -> Edit {
            Edit(path: path, write: write)
        }
        /// An attribute set to `value` (of any type).
        static func attribute<V: HDF5AttributeConvertible>(_ path: String, _ value: V) -> Edit {
            replace(path) { group, name in try group.setAttribute(name, value) }
        }
        /// A dataset replaced by `values` of `shape`.
        static func dataset<E: HDF5Element>(_ path: String, _ values: [E], shape: [Int]) -> Edit {
            replace(path) { group, name in try group.write(values, shape: shape, to: name) }
        }
    }

    /// Writes a copy of `source` to `target` with `edits` applied (a sealed, valid HDF5 file
    /// whose content DriftLab must judge).
    static func rebuild(_ source: URL, to target: URL, _ edits: [Edit]) throws {
        let old = try HDF5File.open(source)
        try HDF5File.writeAtomically(to: target) { file in
            try copyGroup(try old.root, into: try file.root, path: "", edits: edits)
        }
        try old.close()
    }

    private static func copyGroup(_ source: HDF5Group, into target: HDF5Group, path: String, edits: [Edit]) throws {
        var handled = Set<String>()
        for name in try source.attributeNames() {
            let full = "\(path.isEmpty ? "/" : path)@\(name)"
            if let edit = edits.first(where: { $0.path == full }) {
                handled.insert(full)
                try edit.write?(target, name)
            } else {
                try target.setAttribute(name, try source.attributeValue(name))
            }
        }
        for name in try source.children() {
            let full = "\(path)/\(name)"
            if let edit = edits.first(where: { $0.path == full }) {
                handled.insert(full)
                try edit.write?(target, name)
            } else if edits.contains(where: { $0.path.hasPrefix(full + "/") || $0.path.hasPrefix(full + "@") }) {
                try copyGroup(try source.openGroup(name), into: try target.createGroup(name), path: full, edits: edits)
            } else {
                try source.copy(name, to: target)
            }
        }
        // Edits that add something new here.
        for edit in edits where !handled.contains(edit.path) {
            let separator = edit.path.lastIndex(where: { $0 == "/" || $0 == "@" })!
            let parent = String(edit.path[..<separator])
            guard (parent == "/" ? "" : parent) == path else { continue }
            try edit.write?(target, String(edit.path[edit.path.index(after: separator)...]))
        }
    }
}
