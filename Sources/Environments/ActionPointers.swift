/// Where a step's actions lie in memory, as `VectorEnvironment`'s stepping kernel reads them:
/// `[N]` integers for discrete tasks or `[N, dimension]` floats (row-major) for continuous
/// ones. `EnvironmentBatch.step(_:)` builds it from an `ActionBatch`.
public struct ActionPointers: @unchecked Sendable {
    /// `[N]` discrete actions, or nil.
    public let integers: UnsafePointer<Int32>?
    /// `[N, dimension]` continuous actions, or nil.
    public let floats: UnsafePointer<Float>?
    /// Floats per continuous action.
    public let dimension: Int

    public init(integers: UnsafePointer<Int32>?, floats: UnsafePointer<Float>?, dimension: Int) {
        self.integers = integers
        self.floats = floats
        self.dimension = dimension
    }
}

/// An environment action type that can be read out of an `ActionPointers`: `Int` for discrete
/// tasks and `UnsafeBufferPointer<Float>` (a row of the batch, no copy) for continuous ones.
public protocol BatchedAction {
    /// Environment `index`'s action in `batch`.
    static func element(of batch: ActionPointers, at index: Int) -> Self
}

extension Int: BatchedAction {
    @inlinable
    public static func element(of batch: ActionPointers, at index: Int) -> Int {
        Int(batch.integers.unsafelyUnwrapped[index])
    }
}

extension UnsafeBufferPointer: BatchedAction where Element == Float {
    @inlinable
    public static func element(of batch: ActionPointers, at index: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: batch.floats.unsafelyUnwrapped + index * batch.dimension, count: batch.dimension)
    }
}
