/// What an agent may do in an environment.
public enum ActionSpace: Sendable, Equatable, Codable {
    /// Actions are integers in `0..<count`.
    case discrete(count: Int)
    /// Actions are vectors of `dim` floats, each in `[low, high]`.
    case continuous(dim: Int, low: Float, high: Float)

    /// `tanh`-squashed values in `[-1, 1]` mapped affinely onto the bounds of a continuous
    /// space, `low + (x + 1) / 2 (high - low)` (the actor's output to the task's action).
    public func scaled(fromSquashed squashed: [Float]) -> [Float] {
        guard case let .continuous(_, low, high) = self else {
            preconditionFailure("squashed actions need a continuous action space, not \(self)")
        }
        return squashed.map { low + ($0 + 1) * 0.5 * (high - low) }
    }
}
