/// An error from the HDF5 layer. Its message names the file, the object inside the file
/// and, for failed library calls, the C function and HDF5's own explanation from its error
/// stack, so that a user reading one line knows what went wrong and where.
public struct HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// What kind of failure this is, for callers that react differently to each.
    public enum Kind: Sendable, Equatable {
        /// The file to open does not exist.
        case fileNotFound
        /// The file exists but is not an HDF5 file.
        case notHDF5
        /// A group, dataset or attribute that was asked for is not in the file.
        case missingObject
        /// The object exists but holds another element type, or is another kind of object.
        case typeMismatch
        /// A value count does not fit a shape, or a shape is not allowed for an operation.
        case shapeMismatch
        /// A dataset option is out of range (for example a gzip level of 12).
        case invalidOption
        /// An HDF5 C call returned a failure status.
        case libraryCall
        /// A file-system operation (copy, rename, sync, remove) failed.
        case fileSystem
        /// The file's DriftLab checksum (see `HDF5Seal`) does not match its contents: it was
        /// changed or truncated after it was written, and is refused before HDF5 parses it.
        case corrupt
        /// Another process is writing the file (see `OutputLock`).
        case locked
    }

    /// The kind of failure.
    public let kind: Kind
    /// The file's path as given by the caller.
    public let file: String
    /// The path of the group, dataset or attribute inside the file, when there is one.
    public let object: String?
    /// The C function that failed, for `.libraryCall` and `.fileSystem` errors.
    public let call: String?
    /// The complete one-line message.
    public let message: String

    /// Creates an error; `message` should already name `file` and `object`.
    public init(_ kind: Kind, file: String, object: String? = nil, call: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.object = object
        self.call = call
        self.message = message
    }

    /// The one-line message.
    public var description: String { message }
}
