import Foundation
import Tensors

/// Pendulum-v1: swing a frictionless pendulum up and hold it upright, with Gymnasium's
/// constants (`shared/design/MINATAR.md`, classic control).
///
/// Action `[1]`: torque, clipped to [−2, 2]. Reward −(θ̂² + 0.1·θ̇² + 0.001·u²) with θ̂ the
/// angle wrapped to [−π, π), all from the state before the step. Never terminates (the
/// wrapper truncates at 200 steps). Observation `[3]`: cos θ, sin θ, θ̇.
public struct Pendulum: Environment, Equatable {
    /// A one-component action vector.
    public typealias Action = UnsafeBufferPointer<Float>

    /// Gymnasium's episode limit (`max_episode_steps`); the vectorised wrapper truncates there.
    public static let maxEpisodeSteps = 200

    static let maxSpeed = 8.0
    static let maxTorque = 2.0
    static let dt = 0.05
    static let gravity = 10.0
    static let mass = 1.0
    static let length = 1.0

    /// Angle from upright (rad); not wrapped.
    var theta = 0.0
    var thetaDot = 0.0

    /// The pendulum upright and at rest (call `reset` to start an episode).
    public init() {}

    init(theta: Double, thetaDot: Double) {
        self.theta = theta
        self.thetaDot = thetaDot
    }

    /// Shape of one observation.
    public var observationShape: [Int] { [3] }
    /// The Gymnasium action space.
    public var actionSpace: ActionSpace { .continuous(dim: 1, low: -2, high: 2) }

    /// θ uniform in [−π, π), then θ̇ uniform in [−1, 1).
    public mutating func reset(rng: inout RandomStream) {
        theta = rng.uniform(-Double.pi, Double.pi)
        thetaDot = rng.uniform(-1.0, 1.0)
    }

    /// Angle wrapped into [−π, π): Gymnasium's `angle_normalize`.
    static func normalizedAngle(_ x: Double) -> Double {
        let y = (x + Double.pi).truncatingRemainder(dividingBy: 2 * Double.pi)
        // Python's % takes the sign of the divisor.
        return (y < 0 ? y + 2 * Double.pi : y) - Double.pi
    }

    /// One step of dt = 0.05 s; never terminates.
    public mutating func step(_ action: UnsafeBufferPointer<Float>, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        precondition(action.count == 1, "Pendulum action has 1 component, got \(action.count)")
        let u = min(max(Double(action[0]), -Self.maxTorque), Self.maxTorque)
        let angle = Self.normalizedAngle(theta)
        let cost = angle * angle + 0.1 * thetaDot * thetaDot + 0.001 * u * u
        let acceleration = 3 * Self.gravity / (2 * Self.length) * sin(theta)
            + 3.0 / (Self.mass * Self.length * Self.length) * u
        thetaDot = min(max(thetaDot + acceleration * Self.dt, -Self.maxSpeed), Self.maxSpeed)
        theta += thetaDot * Self.dt
        return (Float(-cost), false)
    }

    /// Writes the observation (Float32 of the Double state) into `buffer`.
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count == 3, "Pendulum observation buffer needs 3 floats, got \(buffer.count)")
        buffer[0] = Float(cos(theta))
        buffer[1] = Float(sin(theta))
        buffer[2] = Float(thetaDot)
    }
}
