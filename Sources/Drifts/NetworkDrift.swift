import Foundation
import NeuralNets
import Storage
import Tensors

/// A learned drift: a small MLP over features that vanish at `r = 1`, optionally plus PPO's
/// drift, behind a shifted ReLU (Lu et al. 2022, Section 5):
///
///     f = ReLU(f~(x(r, A)) - xi + [ReLU((r - clip(r, 1-eps, 1+eps)) A)])
///
/// With no biases, `f~ = 0` at `r = 1`, so `f(1, A) = ReLU(-xi) = 0` and `df/dr(1, A) = 0`:
/// every parameter vector is a valid Mirror-Learning drift. `df/dr` is exact: the chain
/// rule through the layers, with the features' analytic slopes as the input tangent.
public struct NetworkDrift: Drift, Equatable {
    /// Hidden-layer nonlinearity.
    public enum Activation: String, Sendable, Codable, CaseIterable {
        case tanh, relu
    }

    /// One dense layer: `y = x W (+ b)`, `W` of shape `[inputs, outputs]`.
    public struct Layer: Sendable, Equatable {
        public var kernel: Matrix
        /// `[outputs]`, or nil for the bias-free layers of LPO.
        public var bias: [Float]?

        public init(kernel: Matrix, bias: [Float]? = nil) {
            precondition(bias == nil || bias!.count == kernel.cols, "bias length must equal the kernel's outputs")
            self.kernel = kernel
            self.bias = bias
        }
    }

    public var kind: DriftKind
    public var features: DriftFeatureSet
    public var activation: Activation
    /// The layers, inputs first; the last has one output.
    public private(set) var layers: [Layer]
    /// Epsilon of the added PPO drift, or nil for none (LPO-Zero).
    public var ppoEpsilon: Float?
    /// Shift of the outer ReLU. The paper states 1e-6; the public reference code uses 1e-4
    /// (DriftLab's default).
    public var xi: Float

    /// The reference code's shift (see `xi`).
    public static let defaultXi: Float = 1e-4

    public init(kind: DriftKind, features: DriftFeatureSet, activation: Activation, layers: [Layer],
                ppoEpsilon: Float?, xi: Float = NetworkDrift.defaultXi) throws {
        guard let first = layers.first, let last = layers.last else {
            throw DriftError.invalidNetwork("a network drift needs at least one layer")
        }
        guard first.kernel.rows == features.count else {
            throw DriftError.invalidNetwork("first layer has \(first.kernel.rows) inputs, the \(features.rawValue) features are \(features.count)")
        }
        guard last.kernel.cols == 1 else {
            throw DriftError.invalidNetwork("last layer has \(last.kernel.cols) outputs, expected 1")
        }
        for (i, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.kernel.cols != pair.1.kernel.rows {
            throw DriftError.invalidNetwork("layer \(i) has \(pair.0.kernel.cols) outputs but layer \(i + 1) has \(pair.1.kernel.rows) inputs")
        }
        guard xi >= 0, xi.isFinite else { throw DriftError.invalidNetwork("xi must be finite and >= 0, got \(xi)") }
        if let eps = ppoEpsilon, !(eps > 0 && eps < 1) {
            throw DriftError.invalidNetwork("PPO epsilon must be in (0, 1), got \(eps)")
        }
        self.kind = kind
        self.features = features
        self.activation = activation
        self.layers = layers
        self.ppoEpsilon = ppoEpsilon
        self.xi = xi
    }

    // MARK: - The paper's architectures

    /// Architecture of each learned family: features, hidden widths, activation, PPO term.
    public static func architecture(of kind: DriftKind) -> (features: DriftFeatureSet, hidden: [Int], activation: Activation, ppoEpsilon: Float?)? {
        switch kind {
        case .lpo: return (.standard, [128], .tanh, 0.2)
        case .lpoZero: return (.standard, [256, 256], .relu, nil)
        case .temporallyAwareLPO: return (.temporal, [128], .tanh, 0.2)
        default: return nil
        }
    }

    /// How the parameters of a fresh network are chosen.
    public enum Initialisation: Sendable, Equatable {
        /// All zeros: LPO then equals PPO exactly, the paper's ES starting point.
        case zero
        /// Lecun-uniform, `U(-sqrt(3/fan_in), sqrt(3/fan_in))`, from the given seed.
        case random(seed: UInt64)
    }

    /// A fresh bias-free network of the paper's architecture for `kind`.
    public static func make(_ kind: DriftKind, initialisation: Initialisation = .zero,
                            xi: Float = defaultXi) throws -> NetworkDrift {
        guard let arch = architecture(of: kind) else {
            throw DriftError.invalidNetwork("\(kind.rawValue) is a closed-form drift, not a network")
        }
        let widths = [arch.features.count] + arch.hidden + [1]
        var rng: RandomStream?
        if case .random(let seed) = initialisation {
            rng = RandomStream(seed: seed, stream: StreamID.make(.parameterInit))
        }
        var layers: [Layer] = []
        for (fanIn, fanOut) in zip(widths, widths.dropFirst()) {
            var kernel = Matrix(rows: fanIn, cols: fanOut)
            if rng != nil {
                let limit = (3 / Float(fanIn)).squareRoot()
                rng!.fillUniform(&kernel.storage, -limit, limit)
            }
            layers.append(Layer(kernel: kernel))
        }
        return try NetworkDrift(kind: kind, features: arch.features, activation: arch.activation,
                                layers: layers, ppoEpsilon: arch.ppoEpsilon, xi: xi)
    }

    // MARK: - Drift

    public var usesProgress: Bool { features == .temporal }

    public var summary: String {
        let widths = [features.count] + layers.map(\.kernel.cols)
        let biases = layers.contains { $0.bias != nil } ? ", with biases" : ""
        let ppo = ppoEpsilon.map { " + ppo(eps=\($0))" } ?? ""
        return "\(kind.rawValue)(\(widths.map(String.init).joined(separator: "-")) \(activation.rawValue)\(biases)\(ppo), xi=\(xi))"
    }

    /// One sample through the batched path (a batch of one).
    public func evaluate(ratio: Float, advantage: Float, progress: Float) -> (f: Float, dfdr: Float) {
        let values = evaluate(ratios: [ratio], advantages: [advantage], progress: progress)
        return (values.drift[0], values.derivative[0])
    }

    /// The whole batch through BLAS, layer by layer (the per-sample default would multiply
    /// one row at a time).
    public func evaluate(ratios: UnsafeBufferPointer<Float>, advantages: UnsafeBufferPointer<Float>, progress: Float,
                         drift: UnsafeMutableBufferPointer<Float>, derivative: UnsafeMutableBufferPointer<Float>) {
        let n = ratios.count
        guard n > 0 else { return }
        // Forward pass of values h and of tangents dh = dh/dr, layer by layer:
        // pre = h W + b, dpre = dh W (the bias does not depend on r), h' = act(pre),
        // dh' = act'(pre) * dpre.
        var h = [Float](repeating: 0, count: n * features.count)
        var dh = h
        h.withUnsafeMutableBufferPointer { x in
            dh.withUnsafeMutableBufferPointer { dx in
                for i in 0..<n {
                    features.compute(ratio: ratios[i], advantage: advantages[i], progress: progress,
                                     features: x.baseAddress! + i * features.count,
                                     slopes: dx.baseAddress! + i * features.count)
                }
            }
        }
        var width = features.count
        for (index, layer) in layers.enumerated() {
            let out = layer.kernel.cols
            var pre = [Float](repeating: 0, count: n * out)
            var dpre = pre
            Self.multiply(h, rows: n, inner: width, layer.kernel, into: &pre)
            Self.multiply(dh, rows: n, inner: width, layer.kernel, into: &dpre)
            if let b = layer.bias {
                for i in 0..<n { for j in 0..<out { pre[i * out + j] += b[j] } }
            }
            if index < layers.count - 1 {
                Self.activate(activation, pre: &pre, tangent: &dpre)
            }
            h = pre
            dh = dpre
            width = out
        }
        // Outer shifted ReLU over the network output plus the optional PPO term.
        for i in 0..<n {
            var inner = h[i] - xi
            var slope = dh[i]
            if let eps = ppoEpsilon {
                let (f, d) = PPODrift.term(ratio: ratios[i], advantage: advantages[i], epsilon: eps)
                inner += f
                slope += d
            }
            if inner > 0 {
                drift[i] = inner
                derivative[i] = slope
            } else if inner.isNaN {
                // A broken network must not pass for "no drift": let the NaN reach the loss.
                drift[i] = .nan
                derivative[i] = .nan
            } else {
                drift[i] = 0
                derivative[i] = 0
            }
        }
    }

    /// `c = a [rows, inner] * kernel [inner, kernel.cols]` through BLAS.
    static func multiply(_ a: [Float], rows: Int, inner: Int, _ kernel: Matrix, into c: inout [Float]) {
        a.withUnsafeBufferPointer { pa in
            kernel.storage.withUnsafeBufferPointer { pk in
                c.withUnsafeMutableBufferPointer { pc in
                    BLAS.gemm(transA: false, transB: false, m: rows, n: kernel.cols, k: inner,
                              a: pa.baseAddress!, lda: inner, b: pk.baseAddress!, ldb: kernel.cols,
                              c: pc.baseAddress!, ldc: kernel.cols)
                }
            }
        }
    }

    /// Applies the hidden activation to `pre` in place and scales `tangent` by its slope.
    static func activate(_ activation: Activation, pre: inout [Float], tangent: inout [Float]) {
        switch activation {
        case .tanh:
            // The fast rational tanh (error < 5e-7): glibc's tanhf costs ~20 ns per element.
            pre.withUnsafeMutableBufferPointer { p in
                FastMath.tanh(UnsafePointer(p.baseAddress!), p.baseAddress!, count: p.count)
            }
            // tangent *= 1 - t^2, eight at a time (the same rounded operations per lane).
            pre.withUnsafeBufferPointer { p in
                tangent.withUnsafeMutableBufferPointer { d in
                    let pr = UnsafeRawPointer(p.baseAddress!), dr = UnsafeMutableRawPointer(d.baseAddress!)
                    var i = 0
                    while i &+ 8 <= p.count {
                        let t = pr.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                        let slope = dr.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                        dr.storeBytes(of: slope * (SIMD8(repeating: 1) - t * t), toByteOffset: i &* 4, as: SIMD8<Float>.self)
                        i &+= 8
                    }
                    while i < p.count {
                        d[i] *= 1 - p[i] * p[i]
                        i &+= 1
                    }
                }
            }
        case .relu:
            for i in pre.indices where pre[i] <= 0 {
                pre[i] = 0
                tangent[i] = 0
            }
        }
    }

    // MARK: - Flat parameters (for Evolution Strategies)

    /// Number of parameters: every kernel, then every bias, layer by layer.
    public var parameterCount: Int {
        layers.reduce(0) { $0 + $1.kernel.count + ($1.bias?.count ?? 0) }
    }

    /// All parameters as one flat vector: layer by layer, the kernel row-major `[inputs, outputs]`
    /// then the bias. For LPO this is the reference code's layout: W1 (8x128) then W2 (128x1).
    public var parameters: [Float] {
        get {
            var flat: [Float] = []
            flat.reserveCapacity(parameterCount)
            for layer in layers {
                flat += layer.kernel.storage
                if let b = layer.bias { flat += b }
            }
            return flat
        }
        set {
            precondition(newValue.count == parameterCount,
                         "\(kind.rawValue) drift has \(parameterCount) parameters, got \(newValue.count)")
            var offset = 0
            for l in layers.indices {
                let k = layers[l].kernel.count
                layers[l].kernel.storage = Array(newValue[offset..<offset + k])
                offset += k
                if let b = layers[l].bias {
                    layers[l].bias = Array(newValue[offset..<offset + b.count])
                    offset += b.count
                }
            }
        }
    }

    /// A copy with a different parameter vector, validated.
    public func with(parameters flat: [Float]) throws -> NetworkDrift {
        guard flat.count == parameterCount else {
            throw DriftError.invalidNetwork("\(kind.rawValue) drift has \(parameterCount) parameters, got \(flat.count)")
        }
        guard flat.allSatisfy(\.isFinite) else {
            throw DriftError.invalidNetwork("parameter vector contains NaN or infinity")
        }
        var copy = self
        copy.parameters = flat
        return copy
    }
}

// MARK: - Specs and files

extension NetworkDrift: RegisteredDrift {
    public static var kinds: [DriftKind] { [.lpo, .lpoZero, .temporallyAwareLPO] }

    /// `lpo`, `lpo:init=zero`, `lpo:init=random,seed=3`, any of them with `xi=1e-6`.
    public static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> NetworkDrift {
        let initialisation: Initialisation
        switch options.take("init", default: "zero") {
        case "zero":
            initialisation = .zero
            if let seed = options.take("seed") {
                throw DriftError.invalidSpec("seed=\(seed) in '\(options.spec)' needs init=random")
            }
        case "random":
            initialisation = .random(seed: try options.integer("seed", default: 0))
        case let other:
            throw DriftError.invalidSpec("init=\(other) in '\(options.spec)': init must be zero or random")
        }
        let xi = try options.number("xi", default: defaultXi, where: { $0 >= 0 }, "a number >= 0")
        return try make(kind, initialisation: initialisation, xi: xi)
    }

    /// Attributes `features` (names in input order), `activation`, `xi`, `ppo_eps` (0 when
    /// there is no PPO term) and `layers`, and datasets `layer_<i>/kernel` of shape
    /// `(inputs, outputs)` (float32) plus `bias` `(outputs,)` where a layer has one.
    public func write(into group: HDF5Group) throws {
        try group.setAttribute("features", features.names)
        try group.setAttribute("activation", activation.rawValue)
        try group.setAttribute("xi", xi.decimalDouble)
        try group.setAttribute("ppo_eps", (ppoEpsilon ?? 0).decimalDouble)
        try group.setAttribute("layers", layers.count)
        for (i, layer) in layers.enumerated() {
            let layerGroup = try group.createGroup("layer_\(i)")
            try layerGroup.write(layer.kernel.storage, shape: [layer.kernel.rows, layer.kernel.cols], to: "kernel")
            if let bias = layer.bias { try layerGroup.write(bias, shape: [bias.count], to: "bias") }
        }
    }

    public static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> NetworkDrift {
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

extension DriftSpec {
    /// The spec of a fresh network drift of `kind`.
    public static func network(kind: DriftKind, initialisation: NetworkDrift.Initialisation, xi: Float) -> DriftSpec {
        var options = [DriftSpec.Option(key: "init", value: "zero")]
        if case .random(let seed) = initialisation {
            options = [.init(key: "init", value: "random"), .init(key: "seed", value: "\(seed)")]
        }
        return .registered(kind, options + [.init(key: "xi", value: "\(xi)")])
    }
}
