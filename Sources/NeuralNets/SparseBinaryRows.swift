import CKernels
import Tensors

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

    /// The transpose's structure (see `rowsByColumn`) when it was computed with the rows, so
    /// that the several networks a minibatch trains (actor and critic) share one.
    public private(set) var columnIndex: ColumnIndex?

    /// The rows that set each column, in ascending order: column `c`'s are
    /// `rows[offsets[c] ..< offsets[c + 1]]`.
    public struct ColumnIndex: Sendable, Equatable {
        public var offsets: [Int32]
        public var rows: [Int32]
    }

    public init(columns: Int, rowOffsets: [Int32], indices: [Int32]) {
        precondition(rowOffsets.first == 0 && Int(rowOffsets.last ?? -1) == indices.count,
                     "row offsets must start at 0 and end at the number of indices")
        precondition(indices.allSatisfy { $0 >= 0 && Int($0) < columns }, "sparse column index out of range")
        self.init(columns: columns, rowOffsets: rowOffsets, indicesInRange: indices)
    }

    /// Rows whose indices the caller built in range (a rollout's observations, gathered): the
    /// offsets are checked, the indices are not (checking each one costs more than a percent
    /// of a MinAtar update).
    public init(columns: Int, rowOffsets: [Int32], indicesInRange indices: [Int32]) {
        precondition(rowOffsets.first == 0 && Int(rowOffsets.last ?? -1) == indices.count,
                     "row offsets must start at 0 and end at the number of indices")
        self.columns = columns
        self.rowOffsets = rowOffsets
        self.indices = indices
    }

    /// The same rows with their column index computed (the rows are a minibatch that more than
    /// one network will backpropagate through).
    public func withColumnIndex() -> SparseBinaryRows {
        var copy = self
        copy.columnIndex = columnIndex ?? rowsByColumn()
        return copy
    }

    /// Equal rows (whether a column index is attached or not).
    public static func == (a: Self, b: Self) -> Bool {
        a.columns == b.columns && a.rowOffsets == b.rowOffsets && a.indices == b.indices
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

/// `out[0..<width] = start[0..<width] + table[rows[0]] + table[rows[1]] + ...`, where
/// `table[r]` is the row of `width` floats at `table + r * stride`, added left to right.
///
/// The sum is held in registers, 32 columns at a time, and stored once (adding each term
/// into memory would load and store the output row for every term). Each column still adds
/// its terms in the same order, so the result is bit-identical to adding row by row.
/// `start` may equal `out` (accumulate in place).
///
/// On AVX-512 CPUs the same sums run sixteen lanes wide (`driftlab_sum_rows_avx512`), with
/// the same additions in the same order: bit-identical.
@inline(__always)
func sumRows(into out: UnsafeMutablePointer<Float>, start: UnsafePointer<Float>?, table: UnsafePointer<Float>,
             stride: Int, rows: UnsafeBufferPointer<Int32>, width: Int) {
    if BLAS.ownKernelAvailable {
        driftlab_sum_rows_avx512(out, start, table, stride, rows.baseAddress, rows.count, width)
    } else {
        sumRowsPortable(into: out, start: start, table: table, stride: stride, rows: rows, width: width)
    }
}

/// `sumRows` eight lanes at a time, on any CPU.
@inline(__always)
func sumRowsPortable(into out: UnsafeMutablePointer<Float>, start: UnsafePointer<Float>?, table: UnsafePointer<Float>,
                     stride: Int, rows: UnsafeBufferPointer<Int32>, width: Int) {
    let o = UnsafeMutableRawPointer(out), t = UnsafeRawPointer(table)
    let s = start.map(UnsafeRawPointer.init)
    let rowBytes = stride &* 4
    var j = 0
    @inline(__always) func load(_ p: UnsafeRawPointer?, _ byte: Int) -> SIMD8<Float> {
        p.map { $0.loadUnaligned(fromByteOffset: byte, as: SIMD8<Float>.self) } ?? .zero
    }
    while j &+ 32 <= width {
        let b = j &* 4
        var a0 = load(s, b), a1 = load(s, b &+ 32), a2 = load(s, b &+ 64), a3 = load(s, b &+ 96)
        for r in rows {
            let row = t + (Int(r) &* rowBytes &+ b)
            a0 += row.loadUnaligned(as: SIMD8<Float>.self)
            a1 += row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            a2 += row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            a3 += row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
        }
        o.storeBytes(of: a0, toByteOffset: b, as: SIMD8<Float>.self)
        o.storeBytes(of: a1, toByteOffset: b &+ 32, as: SIMD8<Float>.self)
        o.storeBytes(of: a2, toByteOffset: b &+ 64, as: SIMD8<Float>.self)
        o.storeBytes(of: a3, toByteOffset: b &+ 96, as: SIMD8<Float>.self)
        j &+= 32
    }
    while j &+ 8 <= width {
        let b = j &* 4
        var a = load(s, b)
        for r in rows { a += (t + (Int(r) &* rowBytes &+ b)).loadUnaligned(as: SIMD8<Float>.self) }
        o.storeBytes(of: a, toByteOffset: b, as: SIMD8<Float>.self)
        j &+= 8
    }
    while j < width {
        var a = start?[j] ?? 0
        for r in rows { a += table[Int(r) &* stride &+ j] }
        out[j] = a
        j &+= 1
    }
}

extension DenseLayer {
    /// `y = x W (+ b)` for sparse binary `x`: each output row is the bias plus the weight
    /// rows of its set columns, in column-list order.
    ///
    /// On AVX-512 CPUs the rows go two at a time (`driftlab_sum_rows_pair_avx512`): a row's
    /// sum is one chain of dependent additions, and two rows' chains overlap. 1.07-1.12x on a
    /// Breakout shard (`bench sparse`); `interleaved: false` sums one row at a time, for that
    /// benchmark. Both give the same bits.
    public func apply(sparse x: SparseBinaryRows, into y: UnsafeMutablePointer<Float>, interleaved: Bool = true) {
        precondition(x.columns == inputs, "sparse input has \(x.columns) columns, the layer \(inputs) inputs")
        let n = outputs
        weight.storage.withUnsafeBufferPointer { w in
            x.indices.withUnsafeBufferPointer { idx in
                x.rowOffsets.withUnsafeBufferPointer { offsets in
                    withBias { b in
                        @inline(__always) func terms(_ i: Int) -> UnsafeBufferPointer<Int32> {
                            UnsafeBufferPointer(rebasing: idx[Int(offsets[i])..<Int(offsets[i &+ 1])])
                        }
                        var i = 0
                        // Two rows at a time where the AVX-512 kernel can interleave them.
                        if BLAS.ownKernelAvailable && interleaved {
                            while i &+ 2 <= x.rows {
                                let first = terms(i), second = terms(i &+ 1)
                                driftlab_sum_rows_pair_avx512(y + i &* n, y + (i &+ 1) &* n, b, b, w.baseAddress!, n,
                                                              first.baseAddress, first.count, second.baseAddress, second.count, n)
                                i &+= 2
                            }
                        }
                        for i in i..<x.rows {
                            sumRows(into: y + i &* n, start: b, table: w.baseAddress!, stride: n, rows: terms(i), width: n)
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with the bias (nil for a bias-free layer).
    private func withBias<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let bias else { return body(nil) }
        return bias.storage.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Backward pass for sparse binary input: adds `x^T dy` and the bias gradient (the
    /// column sums of `dy`). No input gradient: the input is data, not a parameter.
    ///
    /// `x^T dy` is gathered, not scattered: the rows are first listed per set column (in row
    /// order), then each weight-gradient row adds its `dy` rows in registers. Every entry adds
    /// the same terms in the same order as the row-by-row scatter (`dW[c] += dy[i]` for rows
    /// `i` ascending), so the result is bit-identical to it.
    ///
    /// The rows go in blocks of `sparseGradientBlockBytes` of `dy`: every column adds its rows
    /// from one block before the next block starts. A MinAtar minibatch's `dy` (512 x 64
    /// floats, 128 KB) does not fit in L1, and a dense column (a brick, set in nearly every
    /// row) would otherwise stream all of it from L2 once per column. Storing a column's
    /// partial sum between blocks and loading it back is exact, so blocking changes no bit.
    ///
    /// `blockBytes` is for `bench sparse`, which times the blocks against one pass (`Int.max`).
    /// (Summing two columns interleaved, as the forward does two rows, gained nothing
    /// measurable in it.)
    public mutating func accumulateGradients(sparseInput x: SparseBinaryRows, outputGradient dy: UnsafePointer<Float>,
                                             blockBytes: Int = sparseGradientBlockBytes) {
        precondition(blockBytes > 0, "the sparse gradient's block must hold at least one byte")
        let n = outputs, columns = inputs
        let rowsByColumn = x.columnIndex ?? x.rowsByColumn()
        let blockRows = max(1, blockBytes / (n &* MemoryLayout<Float>.stride))
        weightGradient.storage.withUnsafeMutableBufferPointer { dw in
            rowsByColumn.offsets.withUnsafeBufferPointer { offsets in
                rowsByColumn.rows.withUnsafeBufferPointer { rows in
                    // `cursor[c]`: column c's first row not yet added.
                    var cursor = Array(offsets[0..<columns])
                    cursor.withUnsafeMutableBufferPointer { cursor in
                        // The block's rows of column c, which the cursor then passes.
                        func take(_ c: Int, below blockEnd: Int) -> UnsafeBufferPointer<Int32> {
                            let begin = Int(cursor[c]), stop = Int(offsets[c &+ 1])
                            var end = begin
                            while end < stop && Int(rows[end]) < blockEnd { end &+= 1 }
                            cursor[c] = Int32(end)
                            return UnsafeBufferPointer(rebasing: rows[begin..<end])
                        }
                        var blockEnd = 0
                        while blockEnd < x.rows {
                            blockEnd = min(blockEnd &+ blockRows, x.rows)
                            for c in 0..<columns {
                                let mine = take(c, below: blockEnd)
                                guard !mine.isEmpty else { continue }
                                let target = dw.baseAddress! + c &* n
                                sumRows(into: target, start: target, table: dy, stride: n, rows: mine, width: n)
                            }
                        }
                    }
                }
            }
        }
        if biasGradient != nil {
            let all = (0..<Int32(x.rows)).map { $0 }
            biasGradient!.storage.withUnsafeMutableBufferPointer { db in
                all.withUnsafeBufferPointer { rows in
                    sumRows(into: db.baseAddress!, start: db.baseAddress!, table: dy, stride: n, rows: rows, width: n)
                }
            }
        }
    }
}

/// How much of the output gradient the sparse weight gradient adds per block (see
/// `accumulateGradients(sparseInput:outputGradient:)`): a third of a 48 KB L1, leaving room
/// for the weight-gradient rows being summed.
public let sparseGradientBlockBytes = 16 * 1024

extension SparseBinaryRows {
    /// The transpose's structure: the rows that set column `c` are
    /// `rows[offsets[c] ..< offsets[c + 1]]`, in ascending order (a stable counting sort).
    func rowsByColumn() -> ColumnIndex {
        var offsets = [Int32](repeating: 0, count: columns + 1)
        var rows = [Int32](repeating: 0, count: indices.count)
        indices.withUnsafeBufferPointer { idx in
            rowOffsets.withUnsafeBufferPointer { starts in
                offsets.withUnsafeMutableBufferPointer { counts in
                    for c in idx { counts[Int(c) &+ 1] &+= 1 }
                    for c in 0..<columns { counts[c &+ 1] &+= counts[c] }
                    rows.withUnsafeMutableBufferPointer { out in
                        // `next[c]` is where column c's next row goes; reuses the counts
                        // shifted by one, then restores them.
                        var next = Array(counts[0..<columns])
                        next.withUnsafeMutableBufferPointer { cursor in
                            for i in 0..<(starts.count &- 1) {
                                for k in Int(starts[i])..<Int(starts[i &+ 1]) {
                                    let c = Int(idx[k])
                                    out[Int(cursor[c])] = Int32(truncatingIfNeeded: i)
                                    cursor[c] &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return ColumnIndex(offsets: offsets, rows: rows)
    }
}
