import CHDF5
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Attributes: small named values attached to a group or dataset (units, seeds, names,
/// the command line that made a file). Writing an attribute that exists replaces it.
extension HDF5Object {
    /// Writes `value` as attribute `name`, replacing any attribute of that name.
    ///
    /// ```swift
    /// try run.setAttribute("seed", 3)                       // int64
    /// try run.setAttribute("learning_rate", 2.5e-4)         // float64
    /// try run.setAttribute("drift", "LPO")                  // variable-length UTF-8 string
    /// try run.setAttribute("env_names", ["Breakout", "Asterix"])
    /// ```
    public func setAttribute<Value: HDF5AttributeConvertible>(_ name: String, _ value: Value) throws {
        let here = attributeContext(name)
        if try hasAttribute(name) {
            try HDF5Status.check(H5Adelete(id, name), "H5Adelete", here)
        }
        switch value.hdf5AttributeValue {
        case .int64(let scalar): try writeNumbers([scalar], scalar: true, name: name)
        case .double(let scalar): try writeNumbers([scalar], scalar: true, name: name)
        case .string(let scalar): try writeStrings([scalar], scalar: true, name: name)
        case .int64Array(let values): try writeNumbers(values, scalar: false, name: name)
        case .doubleArray(let values): try writeNumbers(values, scalar: false, name: name)
        case .stringArray(let values): try writeStrings(values, scalar: false, name: name)
        }
    }

    /// Reads attribute `name` as `Value`.
    /// - Throws: `.missingObject` ("no attribute 'seed' on '/run' in 'x.h5'") or
    ///   `.typeMismatch` ("... is a Double, not Int64").
    public func attribute<Value: HDF5AttributeConvertible>(_ name: String, as type: Value.Type) throws -> Value {
        let stored = try attributeValue(name)
        guard let value = Value(hdf5AttributeValue: stored) else {
            throw HDF5Error(.typeMismatch, file: file.path, object: path,
                            message: "attribute '\(name)' on '\(path)' in '\(file.path)' is a \(stored.kindName)"
                                + " (\(stored.description.prefix(60))), not \(Value.hdf5AttributeTypeName)")
        }
        return value
    }

    /// Reads attribute `name` whatever its kind.
    public func attributeValue(_ name: String) throws -> HDF5AttributeValue {
        let here = attributeContext(name)
        guard try hasAttribute(name) else {
            throw HDF5Error(.missingObject, file: file.path, object: path,
                            message: "no attribute '\(name)' on '\(path)' in '\(file.path)'")
        }
        let attribute = try HDF5Handle(H5Aopen(id, name, driftlab_h5p_default()), close: H5Aclose, call: "H5Aopen", here)
        let type = try HDF5Handle(H5Aget_type(attribute.id), close: H5Tclose, call: "H5Aget_type", here)
        let space = try HDF5Handle(H5Aget_space(attribute.id), close: H5Sclose, call: "H5Aget_space", here)
        let isScalar = H5Sget_simple_extent_type(space.id) == H5S_SCALAR
        let count = Int(try HDF5Status.check(H5Sget_simple_extent_npoints(space.id), "H5Sget_simple_extent_npoints", here))

        switch H5Tget_class(type.id) {
        case H5T_INTEGER:
            let values: [Int64] = try readNumbers(attribute.id, count: count, here)
            return isScalar ? .int64(values[0]) : .int64Array(values)
        case H5T_FLOAT:
            let values: [Double] = try readNumbers(attribute.id, count: count, here)
            return isScalar ? .double(values[0]) : .doubleArray(values)
        case H5T_STRING:
            let values = try readStrings(attribute.id, type: type.id, space: space.id, count: count, here)
            return isScalar ? .string(values[0]) : .stringArray(values)
        default:
            let stored = try HDF5ElementType(classifying: type.id, here)
            throw HDF5Error(.typeMismatch, file: file.path, object: path,
                            message: "attribute '\(name)' on '\(path)' in '\(file.path)' has type \(stored), which is not an integer, float or string")
        }
    }

    /// Whether attribute `name` exists.
    public func hasAttribute(_ name: String) throws -> Bool {
        try HDF5Status.check(H5Aexists(id, name), "H5Aexists", attributeContext(name)) > 0
    }

    /// The names of all attributes, sorted by name.
    public func attributeNames() throws -> [String] {
        final class Names { var items: [String] = [] }
        let names = Names()
        try withExtendedLifetime(names) {
            let client = Unmanaged.passUnretained(names).toOpaque()
            try HDF5Status.check(H5Aiterate2(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, client in
                guard let name, let client else { return -1 }
                Unmanaged<Names>.fromOpaque(client).takeUnretainedValue().items.append(String(cString: name))
                return 0
            }, client), "H5Aiterate2", context)
        }
        return names.items
    }

    // MARK: Helpers

    /// Names attribute `name` of this object in messages: `/group@name`.
    private func attributeContext(_ name: String) -> HDF5Context { context.at("\(path)@\(name)") }

    /// Creates attribute `name` with `type` over a scalar or 1-D dataspace.
    private func createAttribute(_ name: String, type: hid_t, scalar: Bool, count: Int) throws -> HDF5Handle {
        let here = attributeContext(name)
        let space = try HDF5Handle.dataspace(shape: scalar ? [] : [count], here)
        return try HDF5Handle(H5Acreate2(id, name, type, space.id, driftlab_h5p_default(), driftlab_h5p_default()),
                              close: H5Aclose, call: "H5Acreate2", here)
    }

    private func writeNumbers<Element: HDF5Element>(_ values: [Element], scalar: Bool, name: String) throws {
        let nativeType = Element.hdf5ElementType.nativeType
        let attribute = try createAttribute(name, type: nativeType, scalar: scalar, count: values.count)
        guard !values.isEmpty else { return }
        _ = try Element.withStoredBytes(of: values) { buffer in
            try HDF5Status.check(H5Awrite(attribute.id, nativeType, buffer), "H5Awrite", attributeContext(name))
        }
    }

    private func writeStrings(_ values: [String], scalar: Bool, name: String) throws {
        let here = attributeContext(name)
        let type = try HDF5Handle.utf8StringType(here)
        let attribute = try createAttribute(name, type: type.id, scalar: scalar, count: values.count)
        guard !values.isEmpty else { return }
        // A variable-length string is written as an array of C string pointers.
        let pointers = values.map { strdup($0) }
        defer { pointers.forEach { free($0) } }
        try HDF5Status.check(H5Awrite(attribute.id, type.id, pointers), "H5Awrite", here)
    }

    private func readNumbers<Element: HDF5Element>(_ attribute: hid_t, count: Int, _ here: HDF5Context) throws -> [Element] {
        try Element.fromStoredBytes(count: count) { buffer in
            guard count > 0 else { return }
            try HDF5Status.check(H5Aread(attribute, Element.hdf5ElementType.nativeType, buffer), "H5Aread", here)
        }
    }

    /// Reads variable-length strings (as DriftLab and h5py write them) or fixed-length ones
    /// (as numpy byte strings are stored), decoding UTF-8.
    private func readStrings(_ attribute: hid_t, type: hid_t, space: hid_t, count: Int,
                             _ here: HDF5Context) throws -> [String] {
        guard count > 0 else { return [] }
        let memoryType = try HDF5Handle(H5Tcopy(type), close: H5Tclose, call: "H5Tcopy", here)
        if try HDF5Status.check(H5Tis_variable_str(type), "H5Tis_variable_str", here) > 0 {
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try HDF5Status.check(H5Aread(attribute, memoryType.id, &pointers), "H5Aread", here)
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            try HDF5Status.check(H5Dvlen_reclaim(memoryType.id, space, driftlab_h5p_default(), &pointers),
                                 "H5Dvlen_reclaim", here)
            return strings
        }
        let width = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: count * width)
        try HDF5Status.check(H5Aread(attribute, memoryType.id, &bytes), "H5Aread", here)
        let spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD
        return (0..<count).map { index in
            var field = bytes[index * width ..< (index + 1) * width]
            if let end = field.firstIndex(of: 0) { field = field[..<end] }
            if spacePadded { while field.last == UInt8(ascii: " ") { field = field.dropLast() } }
            return String(decoding: field, as: UTF8.self)
        }
    }
}
