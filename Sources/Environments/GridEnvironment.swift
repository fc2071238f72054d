/// An environment whose observation is a sparse binary grid `[rows, columns, channels]`
/// (MinAtar), so that it can also be observed as the list of its set cells: the trainer's
/// first layer then sums a few weight rows instead of multiplying by a mostly-zero vector.
public protocol GridEnvironment: Environment {
    /// Channel names, in observation order.
    static var channelNames: [String] { get }
    /// Upper bound on the number of indices `writeActiveIndices` can write.
    var maximumActiveCells: Int { get }
    /// Writes the flat observation indices of the set cells (each at most once) into
    /// `buffer` and returns how many were written.
    func writeActiveIndices(into buffer: UnsafeMutableBufferPointer<Int32>) -> Int
}

extension GridEnvironment {
    /// The current frame as `[y][x]` lists of active channels (for drawing), from the
    /// observation's `[rows, columns, channels]` shape.
    public func frame() -> [[[Int]]] {
        let shape = observationShape
        precondition(shape.count == 3, "a grid observation has shape [rows, columns, channels], got \(shape)")
        let (rows, columns, channels) = (shape[0], shape[1], shape[2])
        var cells = [[[Int]]](repeating: [[Int]](repeating: [], count: columns), count: rows)
        var indices = [Int32](repeating: 0, count: maximumActiveCells)
        let count = indices.withUnsafeMutableBufferPointer { writeActiveIndices(into: $0) }
        for index in indices[0..<count].map(Int.init).sorted() {
            let channel = index % channels
            let cell = index / channels
            cells[cell / columns][cell % columns].append(channel)
        }
        return cells
    }
}
