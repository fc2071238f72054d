import Foundation
import Tensors

/// What every file DriftLab writes records about how it was made.
enum Provenance {
    static func attributes() -> [String: String] {
        ["driftlab_version": DriftLab.version,
         "command": CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " "),
         "created": ISO8601DateFormatter().string(from: Date()),
         // The kernels decide the last bits of every product.
         "blas_core": BLAS.coreName]
    }
}
