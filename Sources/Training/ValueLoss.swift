/// The critic's loss: `coefficient * 0.5 * mean((V - R)^2)`, optionally clipped around the
/// rollout's values as in PPO implementations (`max` of the plain and the clipped error).
public struct ValueLoss: Sendable {
    /// Weight of the value loss in the total loss (0.5 in the MinAtar preset).
    public var coefficient: Float
    /// Clip range around the old values, or nil for the plain squared error.
    public var clipRange: Float?

    public init(coefficient: Float, clipRange: Float? = nil) {
        self.coefficient = coefficient
        self.clipRange = clipRange
    }

    /// Loss and `dLoss/dV` for predictions `values` against `returns`, `[n]` each;
    /// `oldValues` are the rollout's predictions (used only when clipping).
    public func evaluate(values: [Float], returns: [Float], oldValues: [Float]) -> (loss: Float, gradient: [Float]) {
        let n = values.count
        precondition(returns.count == n && oldValues.count == n, "value-loss arrays differ in length")
        var loss: Float = 0
        var gradient = [Float](repeating: 0, count: n)
        let scale = coefficient / Float(max(n, 1))
        for i in 0..<n {
            let error = values[i] - returns[i]
            var squared = error * error
            var slope = error
            if let eps = clipRange {
                let delta = values[i] - oldValues[i]
                let clippedDelta = delta < -eps ? -eps : (delta > eps ? eps : delta)
                let clippedError = oldValues[i] + clippedDelta - returns[i]
                // The larger error wins; through the clipped branch V moves only inside the range.
                if clippedError * clippedError > squared {
                    squared = clippedError * clippedError
                    slope = (delta < -eps || delta > eps) ? 0 : clippedError
                }
            }
            loss += 0.5 * squared
            gradient[i] = slope * scale
        }
        return (loss * scale, gradient)
    }
}
