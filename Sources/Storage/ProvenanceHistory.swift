import Foundation

/// What a continued file keeps of how it was made before.
///
/// A run or a meta-training file written again on resume takes the resuming process's
/// provenance. The OpenBLAS kernel set (`blas_core`) decides the last bits of every product,
/// so when a file is continued under another one, both are kept: `Haswell,SkylakeX` says the
/// first part was computed with one and the rest with the other.
public enum ProvenanceHistory {
    /// The root attribute holding the kernel set(s), oldest first, comma-separated.
    public static let kernelKey = "blas_core"

    /// `provenance` for writing `url` again: its `blas_core` extended by the file's own when
    /// the file was computed with another kernel set (unchanged when the file has none, or
    /// cannot be read: the resume that follows reports that).
    public static func continuing(_ provenance: [String: String], file url: URL) -> [String: String] {
        guard let current = provenance[kernelKey],
              let stored = try? HDF5File.open(url).root.attribute(kernelKey, as: String.self) else { return provenance }
        var merged = provenance
        merged[kernelKey] = merging(stored: stored, current: current)
        return merged
    }

    /// `stored` with `current` appended unless it is already the last entry.
    public static func merging(stored: String, current: String) -> String {
        let sets = stored.split(separator: ",").map(String.init)
        return sets.last == current ? stored : (sets + [current]).joined(separator: ",")
    }
}
