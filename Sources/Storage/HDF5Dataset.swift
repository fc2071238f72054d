import CHDF5

/// A dataset in an HDF5 file: an N-dimensional array of one element type, stored
/// row-major (C order, as numpy and h5py see it).
public final class HDF5Dataset: HDF5Object {
    /// The current dimensions, `[]` for a scalar dataset.
    public var shape: [Int] {
        get throws { try extent().dims.map { Int($0) } }
    }

    /// The element type stored in the file.
    public var elementType: HDF5ElementType {
        get throws {
            let type = try HDF5Handle(H5Dget_type(id), close: H5Tclose, call: "H5Dget_type", context)
            return try HDF5ElementType(classifying: type.id, context)
        }
    }

    /// Whether the first axis is unlimited, so that `append(rows:)` can grow it.
    public var isExtendable: Bool {
        get throws {
            let maxDims = try extent().maxDims
            return !maxDims.isEmpty && maxDims[0] == driftlab_h5s_unlimited()
        }
    }

    /// Reads every value, row-major, with the dataset's shape.
    /// - Throws: `.typeMismatch` naming the file, the dataset, the stored type and the
    ///   requested one when they differ (no silent conversion).
    public func read<Element: HDF5Element>(as type: Element.Type = Element.self) throws
        -> (values: [Element], shape: [Int]) {
        try requireElementType(Element.self, reading: true)
        let shape = try self.shape
        let count = shape.reduce(1, *)
        let values = try Element.fromStoredBytes(count: count) { buffer in
            guard count > 0 else { return }
            try HDF5Status.check(H5Dread(id, Element.hdf5ElementType.nativeType, driftlab_h5s_all(), driftlab_h5s_all(),
                                         driftlab_h5p_default(), buffer), "H5Dread", context)
        }
        return (values, shape)
    }

    /// Overwrites every value; `values` is row-major and must fill the current shape.
    public func write<Element: HDF5Element>(_ values: [Element]) throws {
        try requireElementType(Element.self, reading: false)
        let shape = try self.shape
        guard values.count == shape.reduce(1, *) else {
            throw HDF5Error(.shapeMismatch, file: file.path, object: path,
                            message: "dataset '\(path)' in '\(file.path)': \(values.count) values do not fill shape \(shape)")
        }
        guard !values.isEmpty else { return }
        _ = try Element.withStoredBytes(of: values) { buffer in
            try HDF5Status.check(H5Dwrite(id, Element.hdf5ElementType.nativeType, driftlab_h5s_all(), driftlab_h5s_all(),
                                          driftlab_h5p_default(), buffer), "H5Dwrite", context)
        }
    }

    /// Appends rows along the first axis of an extendable dataset.
    ///
    /// `values` is row-major and holds a whole number of rows, each of
    /// `shape[1...].product` elements (one value per row for a 1-D dataset); appending no
    /// values does nothing. Training curves append one row per update this way.
    public func append<Element: HDF5Element>(rows values: [Element]) throws {
        try requireElementType(Element.self, reading: false)
        let (dims, maxDims) = try extent()
        guard !dims.isEmpty, maxDims[0] == driftlab_h5s_unlimited() else {
            throw HDF5Error(.shapeMismatch, file: file.path, object: path,
                            message: "dataset '\(path)' in '\(file.path)' is not extendable; create it with options .extendableRows to append rows")
        }
        let rowCount = dims.dropFirst().reduce(1) { $0 * Int($1) }
        guard rowCount > 0, values.count % rowCount == 0 else {
            throw HDF5Error(.shapeMismatch, file: file.path, object: path,
                            message: "dataset '\(path)' in '\(file.path)': \(values.count) values are not whole rows of \(rowCount)")
        }
        let newRows = values.count / rowCount
        guard newRows > 0 else { return }
        var grown = dims
        grown[0] += hsize_t(newRows)
        try HDF5Status.check(H5Dset_extent(id, grown), "H5Dset_extent", context)

        let fileSpace = try HDF5Handle(H5Dget_space(id), close: H5Sclose, call: "H5Dget_space", context)
        let start = [dims[0]] + [hsize_t](repeating: 0, count: dims.count - 1)
        let block = [hsize_t(newRows)] + dims.dropFirst()
        try HDF5Status.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, start, nil, block, nil),
                             "H5Sselect_hyperslab", context)
        let memorySpace = try HDF5Handle.dataspace(shape: block.map { Int($0) }, context)
        _ = try Element.withStoredBytes(of: values) { buffer in
            try HDF5Status.check(H5Dwrite(id, Element.hdf5ElementType.nativeType, memorySpace.id, fileSpace.id,
                                          driftlab_h5p_default(), buffer), "H5Dwrite", context)
        }
    }

    /// Current and maximum dimensions.
    private func extent() throws -> (dims: [hsize_t], maxDims: [hsize_t]) {
        let space = try HDF5Handle(H5Dget_space(id), close: H5Sclose, call: "H5Dget_space", context)
        return try HDF5Handle.extent(of: space.id, context)
    }

    /// Throws `.typeMismatch` unless the stored element type is `Element`'s.
    private func requireElementType<Element: HDF5Element>(_ type: Element.Type, reading: Bool) throws {
        let stored = try elementType
        guard stored == Element.hdf5ElementType else {
            let verb = reading ? "read" : "written"
            throw HDF5Error(.typeMismatch, file: file.path, object: path,
                            message: "dataset '\(path)' in '\(file.path)' holds \(stored), but was \(verb) as \(Element.hdf5ElementType) (\(Element.self))")
        }
    }
}
