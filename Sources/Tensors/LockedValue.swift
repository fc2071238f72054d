import Foundation

/// A value shared between threads behind a lock: every read and write goes through
/// `withValue`, so parallel workers (ES members, sweep runs, shard threads) and process-wide
/// tables (the drift registry) need no lock of their own.
public final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value and returns what it returns.
    @discardableResult
    public func withValue<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the current value.
    public var current: Value { withValue { $0 } }
}
