import Foundation
import CHDF5

/// Where an HDF5 call acts: the file's path and the object's path inside it, for messages.
struct HDF5Context {
    /// The file's path as the caller gave it.
    let file: String
    /// The object's path inside the file (`/` for the root group).
    let object: String

    /// The same file, another object.
    func at(_ object: String) -> HDF5Context { HDF5Context(file: file, object: object) }
}

/// The one place where HDF5 C statuses become Swift errors.
///
/// HDF5 reports failure as a negative `herr_t`, `hid_t`, `htri_t` or `ssize_t` and pushes a
/// description onto its (per-thread) error stack. `check` turns such a status into an
/// `HDF5Error` carrying the call, the file, the object and the stack's messages; automatic
/// printing of the stack to stderr is silenced once, so nothing is printed twice.
enum HDF5Status {
    /// Silences HDF5's automatic error printing; evaluated once, lazily and thread-safely.
    private static let silenced: Void = driftlab_h5_silence_errors()

    /// Makes sure the library is initialised and quiet; call before any other HDF5 call.
    static func prepare() { _ = silenced }

    /// Returns `status` when it is non-negative; otherwise throws an `HDF5Error` naming
    /// `call` and `context`, with HDF5's own messages from its error stack.
    @discardableResult
    static func check<Status: SignedInteger>(_ status: Status, _ call: String,
                                             _ context: HDF5Context) throws -> Status {
        if status >= 0 { return status }
        throw HDF5Error(.libraryCall, file: context.file, object: context.object, call: call,
                        message: "\(call) failed on '\(context.object)' in '\(context.file)': \(stackMessage())")
    }

    /// `text` with line breaks turned into spaces, so every error stays one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// "No space left on device (errno 28)" from HDF5's `..., errno = 28, error message = '...'`.
    static func systemReason(_ text: String) -> String? {
        guard let start = text.range(of: "error message = '"),
              let end = text[start.upperBound...].firstIndex(of: "'") else { return nil }
        let reason = String(text[start.upperBound..<end])
        if let number = text.range(of: "errno = ") {
            let digits = text[number.upperBound...].prefix(while: \.isNumber)
            if !digits.isEmpty { return "\(reason) (errno \(digits))" }
        }
        return reason
    }

    /// The descriptions on the current thread's error stack, outermost (the API function)
    /// first and innermost (the root cause) last, joined into one line; clears the stack.
    static func stackMessage() -> String {
        final class Lines { var items: [String] = [] }
        let lines = Lines()
        withExtendedLifetime(lines) {
            let client = Unmanaged.passUnretained(lines).toOpaque()
            _ = H5Ewalk2(driftlab_h5e_default(), H5E_WALK_DOWNWARD, { _, record, client in
                guard let record, let client else { return 0 }
                let lines = Unmanaged<Lines>.fromOpaque(client).takeUnretainedValue()
                if let description = record.pointee.desc {
                    let text = String(cString: description)
                    if !text.isEmpty && lines.items.last != text { lines.items.append(text) }
                }
                return 0
            }, client)
        }
        _ = H5Eclear2(driftlab_h5e_default())
        // A failed system call (a full disk, `ulimit -f`) comes as a multi-line record with
        // the temporary file's name, offsets and buffer addresses: keep only the system's reason.
        if let system = lines.items.lazy.compactMap(systemReason).first {
            return "\(lines.items.first.map(oneLine) ?? "write failed"): \(system)"
        }
        lines.items = lines.items.map(oneLine)
        switch lines.items.count {
        case 0: return "no message on the HDF5 error stack"
        case 1: return lines.items[0]
        // The outermost record says what failed, the innermost why; the middle repeats them.
        default: return "\(lines.items.first!): \(lines.items.last!)"
        }
    }
}
