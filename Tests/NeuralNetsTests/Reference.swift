import Foundation
import NeuralNets
import Tensors
import TestSupport

/// Double-precision reference implementations that the fast Float code is checked against.
enum Reference {
    static func activation(_ a: Activation, _ x: Double) -> Double {
        switch a {
        case .identity: return x
        case .tanh: return Foundation.tanh(x)
        case .relu: return max(x, 0)
        case .swish: return x / (1 + Foundation.exp(-x))
        }
    }

    /// Forward pass of an MLP in Double, parameters taken from a flat vector in MLP order.
    static func mlp(sizes: [Int], bias: Bool, hidden: Activation, output: Activation,
                    flat: [Double], input: [Double], batch: Int) -> [Double] {
        var x = input
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            let (nIn, nOut) = (sizes[l], sizes[l + 1])
            let w = Array(flat[offset..<(offset + nIn * nOut)]); offset += nIn * nOut
            var b = [Double](repeating: 0, count: nOut)
            if bias { b = Array(flat[offset..<(offset + nOut)]); offset += nOut }
            let act = l == sizes.count - 2 ? output : hidden
            var y = [Double](repeating: 0, count: batch * nOut)
            for r in 0..<batch {
                for j in 0..<nOut {
                    var s = b[j]
                    for k in 0..<nIn { s += x[r * nIn + k] * w[k * nOut + j] }
                    y[r * nOut + j] = activation(act, s)
                }
            }
            x = y
        }
        return x
    }

    /// `sum_i c_i y_i`: a loss whose gradient w.r.t. y is the fixed vector c.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }
}

extension Array where Element == Float {
    var doubles: [Double] { map(Double.init) }
}

extension Array where Element == Double {
    var floats: [Float] { map(Float.init) }
}

/// A `[rows, cols]` matrix of standard-normal entries scaled by `scale`.
func randomMatrix(_ rows: Int, _ cols: Int, scale: Float = 1, rng: inout RandomStream) -> Matrix {
    var m = Matrix(rows: rows, cols: cols)
    rng.fillNormal(&m.storage, std: scale)
    return m
}
