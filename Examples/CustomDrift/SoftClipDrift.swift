import Drifts
import Storage

/// A drift of our own, defined outside DriftLab in this one file: a smooth quadratic
/// penalty on moving the ratio away from 1, scaled by the advantage's size,
///
///     f(r, A) = |A| (r - 1)^2 / (2 scale),      df/dr = |A| (r - 1) / scale,
///
/// which is >= 0 and vanishes with its slope at r = 1: a valid Mirror-Learning drift. Where
/// PPO cuts the incentive off at the clip edge, this one pulls back in proportion.
struct SoftClipDrift: Drift, Equatable {
    static let kind: DriftKind = "soft-clip"

    /// Ratio distance at which the penalty's slope equals |A| (PPO's clip range plays this role).
    var scale: Float

    var kind: DriftKind { Self.kind }
    var summary: String { "soft-clip(scale=\(scale))" }

    /// The only maths a drift has to write: `f` and `df/dr` at one sample.
    func evaluate(ratio r: Float, advantage a: Float, progress: Float) -> (f: Float, dfdr: Float) {
        let d = r - 1
        return (abs(a) * d * d / (2 * scale), abs(a) * d / scale)
    }
}

/// How specs (`soft-clip:scale=0.3`) and drift files (attribute `scale`) name it; after
/// `DriftRegistry.register(SoftClipDrift.self)` DriftLab trains, stores, resumes and
/// evaluates it like a built-in drift.
extension SoftClipDrift: RegisteredDrift {
    static var kinds: [DriftKind] { [kind] }

    static func make(_ kind: DriftKind, options: inout DriftOptions) throws -> SoftClipDrift {
        SoftClipDrift(scale: try options.number("scale", default: 0.2, where: { $0 > 0 }, "a positive number"))
    }

    func write(into group: HDF5Group) throws {
        try group.setAttribute("scale", Double(scale))
    }

    static func read(_ kind: DriftKind, from group: HDF5Group, path: String) throws -> SoftClipDrift {
        SoftClipDrift(scale: try positiveAttribute("scale", of: group, path: path))
    }
}
