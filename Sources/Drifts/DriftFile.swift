import Foundation
import Storage
import Tensors

/// Drift files: a drift stored in HDF5 so that DriftLab, h5py and HDFView users read the
/// same thing (schema in docs/FILE-FORMATS.md).
///
/// Group `/drift` carries the attributes `kind` (`ppo`, `dpo`, `lpo`, `lpo-zero`, `ta-lpo`)
/// and its parameters — `ppo_eps` for PPO; `alpha`, `beta` for DPO; for networks `features`
/// (names in input order), `activation`, `xi`, `ppo_eps` (0 when there is no PPO term) and
/// `layers` — and, for networks, datasets `/drift/layer_<i>/kernel` of shape
/// `(inputs, outputs)` (float32) plus `bias` `(outputs,)` where a layer has one.
public enum DriftFile {
    /// Name of the group holding the drift.
    public static let groupName = "drift"

    /// Writes `drift` to `url` atomically (temp file + rename), with extra provenance
    /// attributes on the file's root (e.g. `driftlab_version`, `command`).
    public static func write(_ drift: any Drift, to url: URL, provenance: [String: String] = [:]) throws {
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            for (key, value) in provenance.sorted(by: { $0.key < $1.key }) { try root.setAttribute(key, value) }
            try write(drift, into: root)
        }
    }

    /// Writes `drift` as the group `drift` inside `parent` (so ES files can hold it beside
    /// their own state). Replaces nothing: `parent` must not have a `drift` child yet.
    public static func write(_ drift: any Drift, into parent: HDF5Group) throws {
        let group = try parent.createGroup(groupName)
        try group.setAttribute("kind", drift.kind.rawValue)
        switch drift {
        case let ppo as PPODrift:
            try group.setAttribute("ppo_eps", ppo.epsilon.decimalDouble)
        case let dpo as DPODrift:
            try group.setAttribute("alpha", dpo.alpha.decimalDouble)
            try group.setAttribute("beta", dpo.beta.decimalDouble)
        case let net as NetworkDrift:
            try group.setAttribute("features", net.features.names)
            try group.setAttribute("activation", net.activation.rawValue)
            try group.setAttribute("xi", net.xi.decimalDouble)
            try group.setAttribute("ppo_eps", (net.ppoEpsilon ?? 0).decimalDouble)
            try group.setAttribute("layers", net.layers.count)
            for (i, layer) in net.layers.enumerated() {
                let layerGroup = try group.createGroup("layer_\(i)")
                try layerGroup.write(layer.kernel.storage, shape: [layer.kernel.rows, layer.kernel.cols], to: "kernel")
                if let bias = layer.bias { try layerGroup.write(bias, shape: [bias.count], to: "bias") }
            }
        default:
            throw DriftError.invalidNetwork("cannot store a drift of type \(type(of: drift))")
        }
    }

    /// Reads the drift stored in the file at `url`.
    public static func read(from url: URL) throws -> any Drift {
        let file = try HDF5File.open(url) // closed when released
        return try read(from: try file.root, path: url.path)
    }

    /// Reads the `drift` group inside `parent`; `path` names the file in errors.
    public static func read(from parent: HDF5Group, path: String) throws -> any Drift {
        guard try parent.contains(groupName) else {
            throw DriftError.invalidFile(path: path, reason: "no /\(groupName) group: not a DriftLab drift file")
        }
        let group = try parent.openGroup(groupName)
        let kindName = try group.attribute("kind", as: String.self)
        guard let kind = DriftKind(rawValue: kindName) else {
            throw DriftError.invalidFile(path: path, reason: "unknown drift kind '\(kindName)' in /drift (expected "
                + DriftKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        func positive(_ name: String) throws -> Float {
            let value = try group.attribute(name, as: Double.self)
            guard value > 0, value.isFinite else {
                throw DriftError.invalidFile(path: path, reason: "attribute /drift/\(name) = \(value) must be positive")
            }
            return Float(value)
        }
        switch kind {
        case .ppo:
            let eps = try positive("ppo_eps")
            guard eps < 1 else { throw DriftError.invalidFile(path: path, reason: "/drift/ppo_eps = \(eps) must be below 1") }
            return PPODrift(epsilon: eps)
        case .dpo:
            return DPODrift(alpha: try positive("alpha"), beta: try positive("beta"))
        case .lpo, .lpoZero, .temporallyAwareLPO:
            return try readNetwork(group, kind: kind, path: path)
        }
    }

    static func readNetwork(_ group: HDF5Group, kind: DriftKind, path: String) throws -> NetworkDrift {
        let names = try group.attribute("features", as: [String].self)
        guard let features = DriftFeatureSet(names: names) else {
            throw DriftError.invalidFile(path: path, reason: "unknown feature list \(names) in /drift/features")
        }
        let activationName = try group.attribute("activation", as: String.self)
        guard let activation = NetworkDrift.Activation(rawValue: activationName) else {
            throw DriftError.invalidFile(path: path, reason: "unknown activation '\(activationName)' in /drift/activation")
        }
        let xi = Float(try group.attribute("xi", as: Double.self))
        guard xi.isFinite, xi >= 0 else { throw DriftError.invalidFile(path: path, reason: "/drift/xi = \(xi) must be a number >= 0") }
        let eps = try group.hasAttribute("ppo_eps") ? Float(try group.attribute("ppo_eps", as: Double.self)) : 0
        // 0 is how the file says "no PPO term"; anything else must be a clip range.
        guard eps == 0 || (eps > 0 && eps < 1) else {
            throw DriftError.invalidFile(path: path, reason: "/drift/ppo_eps = \(eps) must be 0 (no PPO term) or in (0, 1)")
        }
        let count = try group.attribute("layers", as: Int.self)
        guard count >= 1, count <= 64 else {
            throw DriftError.invalidFile(path: path, reason: "/drift/layers = \(count) must be in 1...64")
        }
        var layers: [NetworkDrift.Layer] = []
        for i in 0..<count {
            let name = "layer_\(i)"
            guard try group.contains(name) else {
                throw DriftError.invalidFile(path: path, reason: "missing group /drift/\(name) (layers = \(count))")
            }
            let layerGroup = try group.openGroup(name)
            let (kernel, shape) = try layerGroup.read("kernel", as: Float.self)
            guard shape.count == 2 else {
                throw DriftError.invalidFile(path: path, reason: "/drift/\(name)/kernel has shape \(shape), expected (inputs, outputs)")
            }
            guard kernel.allSatisfy(\.isFinite) else {
                throw DriftError.invalidFile(path: path, reason: "/drift/\(name)/kernel holds NaN or infinite values")
            }
            var bias: [Float]?
            if try layerGroup.contains("bias") {
                let (values, biasShape) = try layerGroup.read("bias", as: Float.self)
                guard biasShape == [shape[1]] else {
                    throw DriftError.invalidFile(path: path, reason: "/drift/\(name)/bias has shape \(biasShape), expected (\(shape[1]),)")
                }
                guard values.allSatisfy(\.isFinite) else {
                    throw DriftError.invalidFile(path: path, reason: "/drift/\(name)/bias holds NaN or infinite values")
                }
                bias = values
            }
            layers.append(.init(kernel: Matrix(rows: shape[0], cols: shape[1], storage: kernel), bias: bias))
        }
        do {
            return try NetworkDrift(kind: kind, features: features, activation: activation, layers: layers,
                                    ppoEpsilon: eps > 0 ? eps : nil, xi: xi)
        } catch let error as DriftError {
            throw DriftError.invalidFile(path: path, reason: "\(error)")
        }
    }
}
