/// A Swift type that can be stored as the elements of an HDF5 dataset.
///
/// Conforming types: `Float`, `Double`, `Int32`, `Int64`, `UInt8` (stored bit for bit) and
/// `Bool` (stored as `UInt8` 0/1, since HDF5 has no boolean type and h5py reads `uint8`
/// everywhere). Dataset code is written once, generic over this protocol.
public protocol HDF5Element: Sendable {
    /// The element type as stored in the file.
    static var hdf5ElementType: HDF5ElementType { get }

    /// Calls `body` with a pointer to `values` laid out as `hdf5ElementType` elements
    /// (nil or dangling when `values` is empty).
    static func withStoredBytes<Result>(of values: [Self],
                                        _ body: (UnsafeRawPointer?) throws -> Result) rethrows -> Result

    /// Creates `count` values from a buffer of `hdf5ElementType` elements that `fill` writes.
    static func fromStoredBytes(count: Int, _ fill: (UnsafeMutableRawPointer?) throws -> Void) rethrows -> [Self]
}

extension HDF5Element where Self: BitwiseCopyable {
    /// Plain numeric types are stored exactly as they are in memory.
    public static func withStoredBytes<Result>(of values: [Self],
                                               _ body: (UnsafeRawPointer?) throws -> Result) rethrows -> Result {
        try values.withUnsafeBytes { try body($0.baseAddress) }
    }

    /// Plain numeric types are read straight into the array's storage.
    public static func fromStoredBytes(count: Int, _ fill: (UnsafeMutableRawPointer?) throws -> Void) rethrows -> [Self] {
        try [Self](unsafeUninitializedCapacity: count) { buffer, initialised in
            try fill(UnsafeMutableRawPointer(buffer.baseAddress))
            initialised = count
        }
    }
}

extension Float: HDF5Element {
    /// `float32`.
    public static var hdf5ElementType: HDF5ElementType { .float32 }
}

extension Double: HDF5Element {
    /// `float64`.
    public static var hdf5ElementType: HDF5ElementType { .float64 }
}

extension Int32: HDF5Element {
    /// `int32`.
    public static var hdf5ElementType: HDF5ElementType { .int32 }
}

extension Int64: HDF5Element {
    /// `int64`.
    public static var hdf5ElementType: HDF5ElementType { .int64 }
}

extension UInt8: HDF5Element {
    /// `uint8`.
    public static var hdf5ElementType: HDF5ElementType { .uint8 }
}

extension Bool: HDF5Element {
    /// Booleans are stored as `uint8` 0/1.
    public static var hdf5ElementType: HDF5ElementType { .uint8 }

    /// Converts to 0/1 bytes first: a `Bool`'s in-memory byte must never be read from a
    /// file directly, since any value but 0 or 1 would be an invalid `Bool`.
    public static func withStoredBytes<Result>(of values: [Bool],
                                               _ body: (UnsafeRawPointer?) throws -> Result) rethrows -> Result {
        try UInt8.withStoredBytes(of: values.map { $0 ? 1 : 0 }, body)
    }

    /// Reads bytes and treats every non-zero byte as `true`.
    public static func fromStoredBytes(count: Int, _ fill: (UnsafeMutableRawPointer?) throws -> Void) rethrows -> [Bool] {
        try UInt8.fromStoredBytes(count: count, fill).map { $0 != 0 }
    }
}
