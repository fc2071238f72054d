import Foundation

/// Whether two drifts are the same: network drifts by their weights; any other drift, judged
/// from outside, by its kind and summary and bit-identical `f` and `df/dr` on a probe grid (ratios e^-1.5..e^1.5 and advantages
/// -4..4, at progress 0, 0.5 and 1 when either drift reads the progress).
///
/// It works for any drift, registered or not, without knowing how it stores its parameters.
/// A drift file read twice gives the same values bit for bit (the same code on the same
/// weights), so two copies of one drift always compare equal; two networks whose weights
/// differ anywhere change some output on 33 x 33 points with near certainty. What it
/// guards: a run file trained with an earlier `data/lpo.h5` is not taken for a run of the
/// drift the file holds now.
public enum DriftIdentity {
    /// The probe grid: wider in `log r` than the paper's maps, so PPO's clip at 1 ± 0.2 and
    /// the whole trust region are inside it.
    static let probe = try! DriftGrid(logRatioRange: -1.5...1.5, advantageRange: -4...4, resolution: 33)

    /// True when `a` and `b` have the same kind and summary and the same values on the probe.
    /// Network drifts are compared by their weights, xi and PPO term, exactly: two networks
    /// whose output stays below xi on the whole probe (LPO-Zero's dead region) would otherwise
    /// compare equal.
    public static func same(_ a: any Drift, _ b: any Drift) -> Bool {
        guard a.kind == b.kind, a.summary == b.summary, a.usesProgress == b.usesProgress else { return false }
        if let x = a as? NetworkDrift, let y = b as? NetworkDrift { return x == y }
        let progresses: [Float] = a.usesProgress ? [0, 0.5, 1] : [0]
        for progress in progresses {
            let x = probe.evaluate(a, progress: progress), y = probe.evaluate(b, progress: progress)
            guard bitsEqual(x.drift, y.drift), bitsEqual(x.derivative, y.derivative) else { return false }
        }
        return true
    }

    /// Element-wise equality of bit patterns, so that NaN equals the same NaN and -0 differs from 0.
    static func bitsEqual(_ x: [Float], _ y: [Float]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}
