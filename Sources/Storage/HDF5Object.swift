import CHDF5

/// A group or dataset open in an `HDF5File`: owns its HDF5 id and carries attributes
/// (see `HDF5Object+Attributes.swift`). Not created directly: use `HDF5Group` methods.
public class HDF5Object {
    /// The file this object lives in; kept alive as long as the object.
    public let file: HDF5File
    /// The absolute path of the object inside the file, such as `/runs/seed0`.
    public let path: String
    let id: hid_t

    init(id: hid_t, file: HDF5File, path: String) {
        self.id = id
        self.file = file
        self.path = path
    }

    deinit {
        // After `file.close()` HDF5 has already closed this id (strong close degree).
        if file.isOpen && H5Oclose(id) < 0 { _ = H5Eclear2(driftlab_h5e_default()) }
    }

    /// Names this object in messages.
    var context: HDF5Context { HDF5Context(file: file.path, object: path) }

    /// The absolute path of `name` taken relative to this object (or as is when it starts
    /// with `/`), with empty components removed.
    func absolutePath(_ name: String) -> String {
        let joined = name.hasPrefix("/") ? name : path + "/" + name
        return "/" + joined.split(separator: "/").joined(separator: "/")
    }
}
