import NeuralNets
import Tensors

/// Observations on their way into a network: dense rows, or sparse binary rows (MinAtar
/// grids, whose first layer then sums a few weight rows instead of multiplying zeros).
enum NetworkInput {
    case dense([Float], rows: Int, columns: Int)
    case sparse(SparseBinaryRows)

    var rows: Int {
        switch self {
        case .dense(_, let rows, _): return rows
        case .sparse(let x): return x.rows
        }
    }

    func forward(_ network: inout MLP) -> Matrix {
        switch self {
        case .dense(let values, let rows, let columns): return network.forward(Matrix(rows: rows, cols: columns, storage: values))
        case .sparse(let x): return network.forward(sparse: x)
        }
    }

    /// The first `rows` observations of `raw` as the networks see them: normalised when there
    /// is a normaliser, copied otherwise.
    static func normalized(_ raw: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                           normalizer: ObservationNormalizer?) -> [Float] {
        var input = [Float](repeating: 0, count: rows * columns)
        input.withUnsafeMutableBufferPointer { out in
            if let normalizer {
                normalizer.normalize(UnsafeBufferPointer(rebasing: raw[0..<rows * columns]), into: out, rows: rows)
            } else {
                _ = out.initialize(from: UnsafeBufferPointer(rebasing: raw[0..<rows * columns]))
            }
        }
        return input
    }
}
