import Tensors

/// How a kernel `[inputs, outputs]` (or bias `[1, outputs]`) is initialised. Every random
/// initialiser draws from an explicit `RandomStream`, so networks are reproducible by
/// `(seed, stream)`.
public enum Initializer: Sendable, Equatable, Codable {
    /// All zeros (biases; LPO's ES starts its drift network from zero).
    case zeros
    /// `U(-sqrt(3 / fanIn), +sqrt(3 / fanIn))` with `fanIn = rows` (variance `1 / fanIn`):
    /// Brax's default kernel initialiser for the paper's MuJoCo networks.
    case lecunUniform
    /// `gain` times a random orthogonal matrix (Saxe et al. 2014), as in CleanRL's PPO:
    /// columns orthonormal when `rows >= cols` (`W^T W = gain^2 I`), rows orthonormal otherwise.
    case orthogonal(gain: Float)

    /// A new `[rows, cols]` matrix drawn from this initialiser.
    public func makeMatrix(rows: Int, cols: Int, rng: inout RandomStream) -> Matrix {
        var m = Matrix(rows: rows, cols: cols)
        initialize(&m, rng: &rng)
        return m
    }

    /// Overwrites `matrix` with values drawn from this initialiser.
    public func initialize(_ matrix: inout Matrix, rng: inout RandomStream) {
        switch self {
        case .zeros:
            matrix.fill(0)
        case .lecunUniform:
            let limit = (3 / Float(max(matrix.rows, 1))).squareRoot()
            rng.fillUniform(&matrix.storage, -limit, limit)
        case .orthogonal(let gain):
            matrix = Self.orthogonal(rows: matrix.rows, cols: matrix.cols, gain: gain, rng: &rng)
        }
    }

    /// Gram-Schmidt (modified, in Double) on the columns of a tall Gaussian matrix. Every
    /// R diagonal entry is a positive norm, which is the sign convention that makes the
    /// result Haar-distributed (the `Q * sign(diag(R))` step of QR-based initialisers).
    static func orthogonal(rows: Int, cols: Int, gain: Float, rng: inout RandomStream) -> Matrix {
        let tall = max(rows, cols), narrow = min(rows, cols)
        guard narrow > 0 else { return Matrix(rows: rows, cols: cols) }
        // q[j] is column j of the tall [tall, narrow] factor.
        var q = [[Double]](repeating: [], count: narrow)
        for j in 0..<narrow {
            var v = [Double](repeating: 0, count: tall)
            var norm = 0.0
            // A Gaussian column is linearly dependent on the previous ones with probability 0;
            // redraw if rounding ever makes it numerically so.
            repeat {
                for i in 0..<tall { v[i] = rng.normal() }
                for k in 0..<j {
                    var dot = 0.0
                    for i in 0..<tall { dot += q[k][i] * v[i] }
                    for i in 0..<tall { v[i] -= dot * q[k][i] }
                }
                norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            } while norm < 1e-8
            q[j] = v.map { $0 / norm }
        }
        var result = Matrix(rows: rows, cols: cols)
        for j in 0..<narrow {
            for i in 0..<tall {
                let value = Float(Double(gain) * q[j][i])
                if rows >= cols { result[i, j] = value } else { result[j, i] = value }
            }
        }
        return result
    }
}
