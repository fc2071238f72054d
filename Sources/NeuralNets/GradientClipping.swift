/// Global gradient-norm clipping (Pascanu et al. 2013; optax's `clip_by_global_norm`), used
/// by the MinAtar PPO configuration with a maximum norm of 0.5.
public enum GradientClipping {
    /// Euclidean norm of `gradient`, accumulated in Double.
    public static func globalNorm(_ gradient: [Float]) -> Float {
        var sum = 0.0
        for g in gradient { sum += Double(g) * Double(g) }
        return Float(sum.squareRoot())
    }

    /// Scales `gradient` so its global norm is at most `maxNorm` and returns the norm before
    /// clipping (log it: it is the usual training-health signal).
    @discardableResult
    public static func clipByGlobalNorm(_ gradient: inout [Float], maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "maximum gradient norm must be positive, got \(maxNorm)")
        let norm = globalNorm(gradient)
        if norm > maxNorm {
            let scale = maxNorm / norm
            for i in gradient.indices { gradient[i] *= scale }
        }
        return norm
    }
}
