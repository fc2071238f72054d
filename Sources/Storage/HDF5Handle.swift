import CHDF5

/// Owns a short-lived HDF5 id (dataspace, datatype, property list, attribute) and closes it
/// when the owner goes away, so that every early `throw` still releases it.
final class HDF5Handle {
    /// The owned id.
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Checks `id` with `HDF5Status.check` and takes ownership of it.
    init(_ id: hid_t, close: @escaping (hid_t) -> herr_t, call: String, _ context: HDF5Context) throws {
        self.id = try HDF5Status.check(id, call, context)
        self.close = close
    }

    deinit {
        // A failing close cannot be reported from deinit; clear its record so it does not
        // leak into the next error message.
        if close(id) < 0 { _ = H5Eclear2(driftlab_h5e_default()) }
    }

    /// A new dataspace: scalar when `shape` is empty, otherwise simple with optional max dims.
    static func dataspace(shape: [Int], maxShape: [hsize_t]? = nil, _ context: HDF5Context) throws -> HDF5Handle {
        if shape.isEmpty {
            return try HDF5Handle(H5Screate(H5S_SCALAR), close: H5Sclose, call: "H5Screate", context)
        }
        let dims = shape.map { hsize_t($0) }
        let id: hid_t
        if let maxShape {
            id = dims.withUnsafeBufferPointer { d in
                maxShape.withUnsafeBufferPointer { m in H5Screate_simple(Int32(dims.count), d.baseAddress, m.baseAddress) }
            }
        } else {
            id = dims.withUnsafeBufferPointer { H5Screate_simple(Int32(dims.count), $0.baseAddress, nil) }
        }
        return try HDF5Handle(id, close: H5Sclose, call: "H5Screate_simple", context)
    }

    /// The dimensions and maximum dimensions of the dataspace `space`.
    static func extent(of space: hid_t, _ context: HDF5Context) throws -> (dims: [hsize_t], maxDims: [hsize_t]) {
        let rank = Int(try HDF5Status.check(H5Sget_simple_extent_ndims(space), "H5Sget_simple_extent_ndims", context))
        var dims = [hsize_t](repeating: 0, count: rank)
        var maxDims = [hsize_t](repeating: 0, count: rank)
        if rank > 0 {
            try HDF5Status.check(H5Sget_simple_extent_dims(space, &dims, &maxDims), "H5Sget_simple_extent_dims", context)
        }
        return (dims, maxDims)
    }

    /// A variable-length UTF-8 string datatype, the kind h5py reads back as `str`.
    static func utf8StringType(_ context: HDF5Context) throws -> HDF5Handle {
        let type = try HDF5Handle(H5Tcopy(driftlab_h5t_c_s1()), close: H5Tclose, call: "H5Tcopy", context)
        try HDF5Status.check(H5Tset_size(type.id, driftlab_h5t_variable()), "H5Tset_size", context)
        try HDF5Status.check(H5Tset_cset(type.id, H5T_CSET_UTF8), "H5Tset_cset", context)
        return type
    }
}
