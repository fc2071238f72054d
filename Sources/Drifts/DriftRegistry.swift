import Foundation
import Storage
import Tensors

/// A drift type that can be named in a spec and stored in a drift file. Conforming and
/// calling `DriftRegistry.register(MyDrift.self)` once is all a new drift needs for
/// `DriftSpec`, `DriftFile`, run files, resume and evaluation (docs/EXTENDING.md).
public protocol RegisteredDrift: Drift {
    /// The kinds this type stands for (one for most drifts; `NetworkDrift` has three).
    static var kinds: [DriftKind] { get }
    /// The drift of `kind` from a spec's options (`dpo:alpha=1.5` gives alpha 1.5): take each
    /// option through `options`, which checks values and records the canonical spec.
    static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> Self
    /// Writes the parameters into the drift's `/drift` group (`DriftFile` writes `kind`).
    func write(into group: HDF5Group) throws
    /// Reads a drift of `kind` from its `/drift` group; `path` names the file in errors.
    static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> Self
}

extension RegisteredDrift {
    /// Reads attribute `name` of a `/drift` group as a positive finite number (for `read`).
    public static func positiveAttribute(_ name: String, of group: HDF5Group, path: String) throws -> Float {
        let value = try group.attribute(name, as: Double.self)
        guard value > 0, value.isFinite else {
            throw DriftError.invalidFile(path: path, reason: "attribute /drift/\(name) = \(value) must be positive")
        }
        return Float(value)
    }
}

/// The drift types DriftLab can parse and store, by kind. The built-in drifts are registered
/// from the start; another package registers its own with one `register` call before use.
public enum DriftRegistry {
    /// What the registry keeps for one kind: the type's entry points, type-erased.
    struct Entry: Sendable {
        let make: @Sendable (DriftKind, inout DriftOptions) throws -> any Drift
        let write: @Sendable (any Drift, HDF5Group) throws -> Bool
        let read: @Sendable (DriftKind, HDF5Group, String) throws -> any Drift
    }

    /// The entries by kind, and the kinds in the order they were registered (for listings).
    private struct Table {
        var entries: [DriftKind: Entry] = [:]
        var order: [DriftKind] = []
        mutating func add(_ new: [(DriftKind, Entry)]) {
            for (kind, entry) in new {
                if entries[kind] == nil { order.append(kind) }
                entries[kind] = entry
            }
        }
    }

    private static let table: LockedValue<Table> = {
        var table = Table()
        for type in builtIn { table.add(entries(type)) }
        return LockedValue(table)
    }()

    /// The drift types that ship with DriftLab, registered from the start.
    private static var builtIn: [any RegisteredDrift.Type] { [PPODrift.self, DPODrift.self, NetworkDrift.self] }

    private static func entries<D: RegisteredDrift>(_ type: D.Type) -> [(DriftKind, Entry)] {
        let entry = Entry(make: { kind, options in try D.make(kind, options: &options) },
                          write: { drift, group in
                              guard let drift = drift as? D else { return false }
                              try drift.write(into: group)
                              return true
                          },
                          read: { kind, group, path in try D.read(kind, from: group, path: path) })
        return D.kinds.map { ($0, entry) }
    }

    /// Registers `type` under each of its kinds (replacing an earlier registration of a kind).
    public static func register<D: RegisteredDrift>(_ type: D.Type) {
        let new = entries(type)
        table.withValue { $0.add(new) }
    }

    /// Every registered kind, built-in ones first, in the order they were registered.
    public static var kinds: [DriftKind] { table.withValue { $0.order } }

    /// Whether `kind` is registered.
    public static func isRegistered(_ kind: DriftKind) -> Bool { table.withValue { $0.entries[kind] != nil } }

    static func entry(_ kind: DriftKind) -> Entry? { table.withValue { $0.entries[kind] } }
}
