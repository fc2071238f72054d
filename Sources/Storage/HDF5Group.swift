import CHDF5

/// A group in an HDF5 file: a directory of groups and datasets, addressed by paths such as
/// `runs/seed0/returns` (relative to this group) or `/runs` (from the root).
public final class HDF5Group: HDF5Object {
    /// What a path inside a file names.
    enum ObjectKind { case group, dataset, other }

    // MARK: Groups

    /// Creates the group at `path`, creating missing intermediate groups ("a/b/c").
    /// Throws if something already exists at `path`.
    @discardableResult
    public func createGroup(_ path: String) throws -> HDF5Group {
        let full = absolutePath(path)
        let links = try HDF5Group.intermediateLinkList(context.at(full))
        let id = try HDF5Status.check(H5Gcreate2(self.id, path, links.id, driftlab_h5p_default(), driftlab_h5p_default()),
                                      "H5Gcreate2", context.at(full))
        return HDF5Group(id: id, file: file, path: full)
    }

    /// Opens the existing group at `path`.
    /// - Throws: `.missingObject` when nothing is there, `.typeMismatch` when it is a dataset.
    public func openGroup(_ path: String) throws -> HDF5Group {
        let full = absolutePath(path)
        try require(path, is: .group, named: "group")
        let id = try HDF5Status.check(H5Gopen2(self.id, path, driftlab_h5p_default()), "H5Gopen2", context.at(full))
        return HDF5Group(id: id, file: file, path: full)
    }

    /// Opens the group at `path`, creating it (and intermediate groups) if it is missing.
    public func group(_ path: String) throws -> HDF5Group {
        try contains(path) ? openGroup(path) : createGroup(path)
    }

    /// Whether a group or dataset exists at `path`; false also when a component of the
    /// path is missing or is not a group.
    public func contains(_ path: String) throws -> Bool {
        try kind(of: path) != nil
    }

    /// The names of this group's direct members (groups and datasets), sorted by name.
    public func children() throws -> [String] {
        final class Names { var items: [String] = [] }
        let names = Names()
        try withExtendedLifetime(names) {
            let client = Unmanaged.passUnretained(names).toOpaque()
            try HDF5Status.check(H5Literate(id, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, client in
                guard let name, let client else { return -1 }
                Unmanaged<Names>.fromOpaque(client).takeUnretainedValue().items.append(String(cString: name))
                return 0
            }, client), "H5Literate", context)
        }
        return names.items
    }

    // MARK: Datasets

    /// Creates a dataset of `Element` with `shape` (`[]` for a scalar) at `path`, creating
    /// intermediate groups; its values start as zeros.
    public func createDataset<Element: HDF5Element>(_ path: String, of type: Element.Type, shape: [Int],
                                                    options: HDF5DatasetOptions = .contiguous) throws -> HDF5Dataset {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let full = absolutePath(path)
        let here = context.at(full)
        let elementType = Element.hdf5ElementType
        let chunks = try options.chunks(for: shape, elementBytes: elementType.byteCount, here)
        var maxShape: [hsize_t]? = nil
        if options.extendable {
            maxShape = [driftlab_h5s_unlimited()] + shape.dropFirst().map { hsize_t($0) }
        }
        let space = try HDF5Handle.dataspace(shape: shape, maxShape: maxShape, here)
        let creation = try HDF5Handle(H5Pcreate(driftlab_h5p_dataset_create()), close: H5Pclose, call: "H5Pcreate", here)
        if let chunks {
            let dims = chunks.map { hsize_t($0) }
            try HDF5Status.check(H5Pset_chunk(creation.id, Int32(dims.count), dims), "H5Pset_chunk", here)
            if let level = options.compressionLevel {
                // Shuffling bytes before deflate roughly halves float datasets; h5py reads both.
                try HDF5Status.check(H5Pset_shuffle(creation.id), "H5Pset_shuffle", here)
                try HDF5Status.check(H5Pset_deflate(creation.id, UInt32(level)), "H5Pset_deflate", here)
            }
        }
        let links = try HDF5Group.intermediateLinkList(here)
        let id = try HDF5Status.check(H5Dcreate2(self.id, path, elementType.nativeType, space.id, links.id,
                                                 creation.id, driftlab_h5p_default()), "H5Dcreate2", here)
        return HDF5Dataset(id: id, file: file, path: full)
    }

    /// Creates a dataset at `path` holding `values` in row-major order with `shape`.
    /// - Throws: `.shapeMismatch` if `values.count` is not the product of `shape`.
    @discardableResult
    public func write<Element: HDF5Element>(_ values: [Element], shape: [Int], to path: String,
                                            options: HDF5DatasetOptions = .contiguous) throws -> HDF5Dataset {
        let count = shape.reduce(1, *)
        guard values.count == count else {
            let full = absolutePath(path)
            throw HDF5Error(.shapeMismatch, file: file.path, object: full,
                            message: "dataset '\(full)' in '\(file.path)': \(values.count) values do not fill shape \(shape)")
        }
        let dataset = try createDataset(path, of: Element.self, shape: shape, options: options)
        try dataset.write(values)
        return dataset
    }

    /// Opens the existing dataset at `path`.
    /// - Throws: `.missingObject` ("'run.h5' has no dataset '/returns'") when nothing is
    ///   there, `.typeMismatch` when it is a group.
    public func openDataset(_ path: String) throws -> HDF5Dataset {
        let full = absolutePath(path)
        try require(path, is: .dataset, named: "dataset")
        let id = try HDF5Status.check(H5Dopen2(self.id, path, driftlab_h5p_default()), "H5Dopen2", context.at(full))
        return HDF5Dataset(id: id, file: file, path: full)
    }

    /// Reads the whole dataset at `path` as `Element`s: row-major values and the shape.
    public func read<Element: HDF5Element>(_ path: String, as type: Element.Type = Element.self) throws
        -> (values: [Element], shape: [Int]) {
        try openDataset(path).read(as: type)
    }

    // MARK: Helpers

    /// Throws unless `path` names an object of `expected` kind.
    private func require(_ path: String, is expected: ObjectKind, named noun: String) throws {
        let full = absolutePath(path)
        switch try kind(of: path) {
        case nil:
            throw HDF5Error(.missingObject, file: file.path, object: full,
                            message: "'\(file.path)' has no \(noun) '\(full)'")
        case let found? where found != expected:
            throw HDF5Error(.typeMismatch, file: file.path, object: full,
                            message: "'\(full)' in '\(file.path)' is \(found == .group ? "a group" : found == .dataset ? "a dataset" : "not a group or dataset"), not a \(noun)")
        default:
            return
        }
    }

    /// What `path` names, or nil if it does not exist. Walks the path one component at a
    /// time because `H5Lexists` fails (rather than answering false) when an intermediate
    /// component is missing.
    func kind(of path: String) throws -> ObjectKind? {
        let absolute = path.hasPrefix("/")
        let components = path.split(separator: "/").map(String.init)
        if components.isEmpty { return .group }
        for index in components.indices {
            let prefix = (absolute ? "/" : "") + components[...index].joined(separator: "/")
            let here = context.at(absolutePath(prefix))
            guard try HDF5Status.check(H5Lexists(id, prefix, driftlab_h5p_default()), "H5Lexists", here) > 0 else {
                return nil
            }
            let object = try HDF5Handle(H5Oopen(id, prefix, driftlab_h5p_default()), close: H5Oclose, call: "H5Oopen", here)
            let kind: ObjectKind
            switch H5Iget_type(object.id) {
            case H5I_GROUP: kind = .group
            case H5I_DATASET: kind = .dataset
            default: kind = .other
            }
            if index == components.count - 1 { return kind }
            if kind != .group { return nil }
        }
        return nil
    }

    /// A link-creation property list that creates missing intermediate groups.
    private static func intermediateLinkList(_ context: HDF5Context) throws -> HDF5Handle {
        let list = try HDF5Handle(H5Pcreate(driftlab_h5p_link_create()), close: H5Pclose, call: "H5Pcreate", context)
        try HDF5Status.check(H5Pset_create_intermediate_group(list.id, 1), "H5Pset_create_intermediate_group", context)
        return list
    }
}
