import CCairo

/// An error while drawing or writing a figure; the message names the Cairo call, Cairo's
/// own explanation (`cairo_status_to_string`) and the output file when there is one.
public struct PlottingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is.
    public enum Kind: Sendable, Equatable {
        /// A Cairo call left the context or surface in an error state.
        case cairo
        /// The output file's extension is not .png, .pdf or .svg.
        case unsupportedFormat
        /// A size, scale or image buffer is invalid.
        case invalidArgument
        /// Renaming or removing a file failed.
        case fileSystem
    }

    /// The kind of failure.
    public let kind: Kind
    /// The Cairo or POSIX call that failed, when there is one.
    public let call: String?
    /// The file being written or read, when there is one.
    public let file: String?
    /// The complete one-line message.
    public let message: String

    /// Creates an error; `message` should already name `call` and `file`.
    public init(_ kind: Kind, call: String? = nil, file: String? = nil, message: String) {
        self.kind = kind
        self.call = call
        self.file = file
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }
}

/// The one place where Cairo statuses become Swift errors.
///
/// Cairo records the first failure in the context or surface and ignores later calls, so
/// checking the status after each call pins the error to the call that caused it.
enum CairoStatus {
    /// Throws a `PlottingError` naming `call` (and `file`) unless `status` is success.
    static func check(_ status: cairo_status_t, _ call: String, file: String? = nil) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let reason = String(cString: cairo_status_to_string(status))
        let place = file.map { " for '\($0)'" } ?? ""
        throw PlottingError(.cairo, call: call, file: file, message: "\(call) failed\(place): \(reason)")
    }

    /// Checks a context's status after `call`.
    static func check(context: OpaquePointer, _ call: String, file: String? = nil) throws {
        try check(cairo_status(context), call, file: file)
    }

    /// Checks a surface's status after `call`.
    static func check(surface: OpaquePointer, _ call: String, file: String? = nil) throws {
        try check(cairo_surface_status(surface), call, file: file)
    }
}
