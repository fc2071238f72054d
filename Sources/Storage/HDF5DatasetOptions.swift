/// How a dataset is laid out on disk: contiguous, chunked and gzip-compressed, and/or
/// extendable along its first axis (for training curves that grow one row per update).
public struct HDF5DatasetOptions: Sendable, Equatable {
    /// gzip (deflate) level 0-9 with byte shuffling, or nil for no compression.
    public var compressionLevel: Int?
    /// Whether the first axis is unlimited, so that `HDF5Dataset.append(rows:)` can grow it.
    public var extendable: Bool
    /// The chunk shape, same rank as the dataset; nil chooses chunks of about 64 KiB made of
    /// whole rows. Only used when compressing or extendable (HDF5 requires chunks for both).
    public var chunkShape: [Int]?

    /// Options with every field given; the defaults give a plain contiguous dataset.
    public init(compressionLevel: Int? = nil, extendable: Bool = false, chunkShape: [Int]? = nil) {
        self.compressionLevel = compressionLevel
        self.extendable = extendable
        self.chunkShape = chunkShape
    }

    /// A contiguous, fixed-size dataset.
    public static let contiguous = HDF5DatasetOptions()

    /// A chunked dataset compressed with gzip at `level` (0-9).
    public static func compressed(level: Int = 4) -> HDF5DatasetOptions {
        HDF5DatasetOptions(compressionLevel: level)
    }

    /// A dataset whose first axis can grow with `append(rows:)`.
    public static let extendableRows = HDF5DatasetOptions(extendable: true)

    /// The chunk shape to use for a dataset of `shape` and element size `elementBytes`,
    /// or nil for contiguous storage.
    ///
    /// A compressed fixed-size dataset with a zero-length axis is stored contiguously:
    /// HDF5 forbids zero-length chunks and there is nothing to compress.
    func chunks(for shape: [Int], elementBytes: Int, _ context: HDF5Context) throws -> [Int]? {
        if let level = compressionLevel, !(0...9).contains(level) {
            throw HDF5Error(.invalidOption, file: context.file, object: context.object,
                            message: "dataset '\(context.object)' in '\(context.file)': gzip level \(level) is not in 0...9")
        }
        guard compressionLevel != nil || extendable else { return nil }
        guard !shape.isEmpty else {
            throw HDF5Error(.shapeMismatch, file: context.file, object: context.object,
                            message: "dataset '\(context.object)' in '\(context.file)': a scalar dataset cannot be compressed or extendable")
        }
        if !extendable && shape.contains(0) { return nil }
        if let chunkShape {
            guard chunkShape.count == shape.count, chunkShape.allSatisfy({ $0 > 0 }) else {
                throw HDF5Error(.invalidOption, file: context.file, object: context.object,
                                message: "dataset '\(context.object)' in '\(context.file)': chunk shape \(chunkShape) does not fit shape \(shape)")
            }
            return chunkShape
        }
        let trailing = shape.dropFirst().map { max($0, 1) }
        let rowBytes = trailing.reduce(elementBytes, *)
        var rows = max(1, (64 * 1024) / rowBytes)
        if !extendable { rows = min(rows, shape[0]) }
        return [rows] + trailing
    }
}
