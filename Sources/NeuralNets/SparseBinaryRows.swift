/// A batch of binary input rows stored by their set columns (compressed rows): row `i` has
/// ones at `indices[rowOffsets[i] ..< rowOffsets[i + 1]]` and zeros elsewhere.
///
/// MinAtar observations are 10x10xC binary grids with a handful of cells set, so a first
/// dense layer fed this way costs `active x outputs` instead of `inputs x outputs` per row,
/// forward and backward.
public struct SparseBinaryRows: Sendable, Equatable {
    /// Width of a dense row.
    public let columns: Int
    /// `rows + 1` offsets into `indices`, starting at 0.
    public var rowOffsets: [Int32]
    /// Set columns, row after row, each in `0..<columns`.
    public var indices: [Int32]

    public init(columns: Int, rowOffsets: [Int32], indices: [Int32]) {
        precondition(rowOffsets.first == 0 && Int(rowOffsets.last ?? -1) == indices.count,
                     "row offsets must start at 0 and end at the number of indices")
        precondition(indices.allSatisfy { $0 >= 0 && Int($0) < columns }, "sparse column index out of range")
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.indices = indices
    }

    /// Number of rows.
    public var rows: Int { rowOffsets.count - 1 }

    /// The rows as a dense `[rows, columns]` 0/1 array (for tests and fallbacks).
    public var dense: [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for k in Int(rowOffsets[i])..<Int(rowOffsets[i + 1]) { out[i * columns + Int(indices[k])] = 1 }
        }
        return out
    }
}

/// `target[0..<count] += source[0..<count]` in 8-wide vector steps (the two rows never
/// overlap; spelled with SIMD types because the optimiser cannot prove that for raw pointers).
@inline(__always)
func addRow(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
    var j = 0
    let t = UnsafeMutableRawPointer(target), s = UnsafeRawPointer(source)
    while j + 8 <= count {
        let sum = t.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
            + s.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
        t.storeBytes(of: sum, toByteOffset: j * 4, as: SIMD8<Float>.self)
        j += 8
    }
    while j < count {
        target[j] += source[j]
        j += 1
    }
}

extension DenseLayer {
    /// `y = x W (+ b)` for sparse binary `x`: each output row is the sum of the weight rows
    /// of its set columns (plus the bias).
    public func apply(sparse x: SparseBinaryRows, into y: UnsafeMutablePointer<Float>) {
        precondition(x.columns == inputs, "sparse input has \(x.columns) columns, the layer \(inputs) inputs")
        let n = outputs
        weight.storage.withUnsafeBufferPointer { w in
            x.indices.withUnsafeBufferPointer { idx in
                for i in 0..<x.rows {
                    let row = y + i * n
                    if let bias {
                        bias.storage.withUnsafeBufferPointer { row.update(from: $0.baseAddress!, count: n) }
                    } else {
                        row.update(repeating: 0, count: n)
                    }
                    for k in Int(x.rowOffsets[i])..<Int(x.rowOffsets[i + 1]) {
                        addRow(row, w.baseAddress! + Int(idx[k]) * n, count: n)
                    }
                }
            }
        }
    }

    /// Backward pass for sparse binary input: adds `x^T dy` (the rows of `dy` scattered onto
    /// the weight rows of their set columns) and the bias gradient. No input gradient: the
    /// input is data, not a parameter.
    public mutating func accumulateGradients(sparseInput x: SparseBinaryRows, outputGradient dy: UnsafePointer<Float>) {
        let n = outputs
        weightGradient.storage.withUnsafeMutableBufferPointer { dw in
            x.indices.withUnsafeBufferPointer { idx in
                for i in 0..<x.rows {
                    let g = dy + i * n
                    for k in Int(x.rowOffsets[i])..<Int(x.rowOffsets[i + 1]) {
                        addRow(dw.baseAddress! + Int(idx[k]) * n, g, count: n)
                    }
                }
            }
        }
        if biasGradient != nil {
            biasGradient!.storage.withUnsafeMutableBufferPointer { db in
                for i in 0..<x.rows {
                    let g = dy + i * n
                    for j in 0..<n { db[j] += g[j] }
                }
            }
        }
    }
}
