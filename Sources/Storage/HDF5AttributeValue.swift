/// The value of an HDF5 attribute as DriftLab writes and reads it: a scalar or 1-D array
/// of 64-bit integers, doubles or UTF-8 strings (variable-length, so h5py reads `str`).
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
    /// A scalar integer.
    case int64(Int64)
    /// A scalar float.
    case double(Double)
    /// A scalar string.
    case string(String)
    /// A 1-D array of integers.
    case int64Array([Int64])
    /// A 1-D array of floats.
    case doubleArray([Double])
    /// A 1-D array of strings (for example a list of names).
    case stringArray([String])

    /// The kind of value in words, for messages: "Int64", "String array", ...
    public var kindName: String {
        switch self {
        case .int64: "Int64"
        case .double: "Double"
        case .string: "String"
        case .int64Array: "Int64 array"
        case .doubleArray: "Double array"
        case .stringArray: "String array"
        }
    }

    /// The value as Swift would print it.
    public var description: String {
        switch self {
        case .int64(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let value): value.debugDescription
        case .int64Array(let values): "\(values)"
        case .doubleArray(let values): "\(values)"
        case .stringArray(let values): "\(values)"
        }
    }
}

/// A Swift type that can be stored as an HDF5 attribute.
///
/// `Int64`, `Int`, `Double`, `String`, arrays of these and `HDF5AttributeValue` itself
/// conform. A scalar can be read back from a one-element array and an array from a scalar,
/// since h5py users write either; an integer is never silently read as a double or back.
public protocol HDF5AttributeConvertible {
    /// The attribute value to store.
    var hdf5AttributeValue: HDF5AttributeValue { get }
    /// Converts a stored value, or nil if it is of another kind.
    init?(hdf5AttributeValue: HDF5AttributeValue)
    /// The Swift type's name for messages.
    static var hdf5AttributeTypeName: String { get }
}

/// A scalar attribute type, whose arrays are attribute types too.
public protocol HDF5AttributeScalar: HDF5AttributeConvertible {
    /// The stored value for an array of scalars.
    static func hdf5ArrayValue(_ values: [Self]) -> HDF5AttributeValue
    /// The scalars in a stored scalar or array, or nil if it is of another kind.
    static func hdf5Elements(of value: HDF5AttributeValue) -> [Self]?
}

extension HDF5AttributeScalar {
    /// Reads a scalar, or the single element of a one-element array.
    public init?(hdf5AttributeValue: HDF5AttributeValue) {
        guard let elements = Self.hdf5Elements(of: hdf5AttributeValue), elements.count == 1 else { return nil }
        self = elements[0]
    }

    /// The Swift type's name.
    public static var hdf5AttributeTypeName: String { "\(Self.self)" }
}

extension Array: HDF5AttributeConvertible where Element: HDF5AttributeScalar {
    /// Stored as a 1-D array.
    public var hdf5AttributeValue: HDF5AttributeValue { Element.hdf5ArrayValue(self) }

    /// Reads an array, or a scalar as a one-element array.
    public init?(hdf5AttributeValue: HDF5AttributeValue) {
        guard let elements = Element.hdf5Elements(of: hdf5AttributeValue) else { return nil }
        self = elements
    }

    /// "[Element]".
    public static var hdf5AttributeTypeName: String { "[\(Element.self)]" }
}

extension Int64: HDF5AttributeScalar {
    /// Stored as a 64-bit integer.
    public var hdf5AttributeValue: HDF5AttributeValue { .int64(self) }
    /// Stored as a 64-bit integer array.
    public static func hdf5ArrayValue(_ values: [Int64]) -> HDF5AttributeValue { .int64Array(values) }
    /// Integers only.
    public static func hdf5Elements(of value: HDF5AttributeValue) -> [Int64]? {
        switch value {
        case .int64(let scalar): [scalar]
        case .int64Array(let values): values
        default: nil
        }
    }
}

extension Int: HDF5AttributeScalar {
    /// Stored as a 64-bit integer.
    public var hdf5AttributeValue: HDF5AttributeValue { .int64(Int64(self)) }
    /// Stored as a 64-bit integer array.
    public static func hdf5ArrayValue(_ values: [Int]) -> HDF5AttributeValue { .int64Array(values.map { Int64($0) }) }
    /// Integers that fit in `Int`.
    public static func hdf5Elements(of value: HDF5AttributeValue) -> [Int]? {
        guard let wide = Int64.hdf5Elements(of: value) else { return nil }
        let narrow = wide.compactMap { Int(exactly: $0) }
        return narrow.count == wide.count ? narrow : nil
    }
}

extension Double: HDF5AttributeScalar {
    /// Stored as a 64-bit float.
    public var hdf5AttributeValue: HDF5AttributeValue { .double(self) }
    /// Stored as a 64-bit float array.
    public static func hdf5ArrayValue(_ values: [Double]) -> HDF5AttributeValue { .doubleArray(values) }
    /// Floats only.
    public static func hdf5Elements(of value: HDF5AttributeValue) -> [Double]? {
        switch value {
        case .double(let scalar): [scalar]
        case .doubleArray(let values): values
        default: nil
        }
    }
}

extension String: HDF5AttributeScalar {
    /// Stored as a variable-length UTF-8 string.
    public var hdf5AttributeValue: HDF5AttributeValue { .string(self) }
    /// Stored as an array of variable-length UTF-8 strings.
    public static func hdf5ArrayValue(_ values: [String]) -> HDF5AttributeValue { .stringArray(values) }
    /// Strings only.
    public static func hdf5Elements(of value: HDF5AttributeValue) -> [String]? {
        switch value {
        case .string(let scalar): [scalar]
        case .stringArray(let values): values
        default: nil
        }
    }
}

extension HDF5AttributeValue: HDF5AttributeConvertible {
    /// Itself.
    public var hdf5AttributeValue: HDF5AttributeValue { self }
    /// Any stored value.
    public init?(hdf5AttributeValue: HDF5AttributeValue) { self = hdf5AttributeValue }
    /// "HDF5AttributeValue".
    public static var hdf5AttributeTypeName: String { "HDF5AttributeValue" }
}
