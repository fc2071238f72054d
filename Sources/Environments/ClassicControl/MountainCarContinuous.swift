import Foundation
import Tensors

/// MountainCarContinuous-v0 (Moore 1990): drive an under-powered car up the right hill,
/// with Gymnasium's constants and its inelastic stop at the left wall
/// (`shared/design/MINATAR.md`, classic control; gymnax puts that stop at the goal, a bug
/// not copied here).
///
/// Action `[1]`: force, clipped to [−1, 1] for the dynamics. Reward 100 on reaching the goal
/// minus 0.1·a² with the unclipped action. Observation `[2]`: position, velocity.
public struct MountainCarContinuous: Environment, Equatable {
    /// A one-component action vector.
    public typealias Action = UnsafeBufferPointer<Float>

    /// Gymnasium's episode limit (`max_episode_steps`); the vectorised wrapper truncates there.
    public static let maxEpisodeSteps = 999

    static let minPosition = -1.2
    static let maxPosition = 0.6
    static let maxSpeed = 0.07
    static let goalPosition = 0.45
    static let goalVelocity = 0.0
    static let power = 0.0015

    var position = -0.5
    var velocity = 0.0

    /// The car at rest at −0.5 (call `reset` to start an episode).
    public init() {}

    init(position: Double, velocity: Double) {
        self.position = position
        self.velocity = velocity
    }

    /// Shape of one observation.
    public var observationShape: [Int] { [2] }
    /// The Gymnasium action space.
    public var actionSpace: ActionSpace { .continuous(dim: 1, low: -1, high: 1) }

    /// Position uniform in [−0.6, −0.4), velocity 0.
    public mutating func reset(rng: inout RandomStream) {
        position = rng.uniform(-0.6, -0.4)
        velocity = 0
    }

    /// One step; terminated on reaching the goal with non-negative velocity.
    public mutating func step(_ action: UnsafeBufferPointer<Float>, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        precondition(action.count == 1, "MountainCarContinuous action has 1 component, got \(action.count)")
        let a = Double(action[0])
        let force = min(max(a, -1), 1)
        velocity += force * Self.power - 0.0025 * cos(3 * position)
        velocity = min(max(velocity, -Self.maxSpeed), Self.maxSpeed)
        position += velocity
        position = min(max(position, Self.minPosition), Self.maxPosition)
        // Inelastic collision with the left wall.
        if position == Self.minPosition && velocity < 0 { velocity = 0 }
        let terminated = position >= Self.goalPosition && velocity >= Self.goalVelocity
        let reward = (terminated ? 100.0 : 0.0) - 0.1 * a * a
        return (Float(reward), terminated)
    }

    /// Writes the observation (Float32 of the Double state) into `buffer`.
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count == 2, "MountainCarContinuous observation buffer needs 2 floats, got \(buffer.count)")
        buffer[0] = Float(position)
        buffer[1] = Float(velocity)
    }
}
