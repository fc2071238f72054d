import CHDF5

/// The element types DriftLab stores in datasets, or a description of any other type found
/// in a file (so that a mismatch can be reported by name).
public enum HDF5ElementType: Equatable, Sendable, CustomStringConvertible {
    /// IEEE 32-bit float (`Float`).
    case float32
    /// IEEE 64-bit float (`Double`).
    case float64
    /// Signed 32-bit integer (`Int32`).
    case int32
    /// Signed 64-bit integer (`Int64`).
    case int64
    /// Unsigned 8-bit integer (`UInt8`, and `Bool` stored as 0/1).
    case uint8
    /// Any other HDF5 type, described in words (for example "int16" or "string").
    case other(String)

    /// The lower-case name used in messages: "float32", "int64", ...
    public var description: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .other(let name): name
        }
    }

    /// Bytes per element of a supported element type.
    var byteCount: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8: 1
        case .other(let name): preconditionFailure("no element size for \(name)")
        }
    }

    /// The native in-memory HDF5 type for a supported element type.
    var nativeType: hid_t {
        switch self {
        case .float32: driftlab_h5t_native_float()
        case .float64: driftlab_h5t_native_double()
        case .int32: driftlab_h5t_native_int32()
        case .int64: driftlab_h5t_native_int64()
        case .uint8: driftlab_h5t_native_uint8()
        case .other(let name): preconditionFailure("no native HDF5 type for \(name)")
        }
    }

    /// Classifies the HDF5 datatype `type` (as returned by `H5Dget_type`).
    init(classifying type: hid_t, _ context: HDF5Context) throws {
        let typeClass = H5Tget_class(type)
        try HDF5Status.check(typeClass.rawValue, "H5Tget_class", context)
        let size = H5Tget_size(type)
        if size == 0 { try HDF5Status.check(Int32(-1), "H5Tget_size", context) }
        switch typeClass {
        case H5T_FLOAT:
            self = size == 4 ? .float32 : size == 8 ? .float64 : .other("float\(size * 8)")
        case H5T_INTEGER:
            let signed = H5Tget_sign(type)
            try HDF5Status.check(signed.rawValue, "H5Tget_sign", context)
            switch (signed == H5T_SGN_2, size) {
            case (true, 4): self = .int32
            case (true, 8): self = .int64
            case (false, 1): self = .uint8
            case (true, _): self = .other("int\(size * 8)")
            case (false, _): self = .other("uint\(size * 8)")
            }
        case H5T_STRING: self = .other("string")
        case H5T_ENUM: self = .other("enum")
        case H5T_COMPOUND: self = .other("compound")
        case H5T_ARRAY: self = .other("array")
        case H5T_VLEN: self = .other("variable-length sequence")
        case H5T_BITFIELD: self = .other("bitfield")
        case H5T_OPAQUE: self = .other("opaque")
        case H5T_REFERENCE: self = .other("reference")
        case H5T_TIME: self = .other("time")
        default: self = .other("unknown type class \(typeClass.rawValue)")
        }
    }
}
