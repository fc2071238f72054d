import CHDF5

extension HDF5Group {
    /// Copies the object at `path` (a group with everything below it, or a dataset, with
    /// attributes and compression) into `destination` under the same name, possibly in
    /// another file. Used to carry bulky data over when a file is rewritten atomically.
    public func copy(_ path: String, to destination: HDF5Group) throws {
        let full = absolutePath(path)
        try HDF5Status.check(H5Ocopy(id, path, destination.id, path, driftlab_h5p_default(), driftlab_h5p_default()),
                             "H5Ocopy", context.at(full))
    }
}
