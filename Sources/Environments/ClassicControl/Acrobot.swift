import Foundation
import Tensors

/// Acrobot-v1 (Sutton 1996) with the "book" dynamics and Gymnasium's constants
/// (`shared/design/MINATAR.md`, classic control): a two-link pendulum actuated at the
/// elbow must swing its tip above the bar.
///
/// Actions 0, 1, 2 apply torque −1, 0, +1. One classic RK4 step over dt = 0.2, then the
/// angles wrap into [−π, π] and the velocities clip to ±4π and ±9π. Reward −1 per step and
/// 0 on the terminating step. Observation `[6]`: cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2.
public struct Acrobot: Environment, Equatable {
    /// A discrete action index.
    public typealias Action = Int

    /// Gymnasium's episode limit (`max_episode_steps`); the vectorised wrapper truncates there.
    public static let maxEpisodeSteps = 500

    static let dt = 0.2
    static let linkLength1 = 1.0
    static let linkMass1 = 1.0
    static let linkMass2 = 1.0
    static let linkCenterOfMass1 = 0.5
    static let linkCenterOfMass2 = 0.5
    static let linkMomentOfInertia = 1.0
    static let gravity = 9.8
    static let maxVelocity1 = 4 * Double.pi
    static let maxVelocity2 = 9 * Double.pi
    static let torques: [Double] = [-1, 0, 1]

    /// Angles (rad) and angular velocities; θ1 = 0 hangs straight down.
    var theta1 = 0.0
    var theta2 = 0.0
    var theta1Dot = 0.0
    var theta2Dot = 0.0

    /// Both links hanging at rest (call `reset` to start an episode).
    public init() {}

    init(theta1: Double, theta2: Double, theta1Dot: Double, theta2Dot: Double) {
        self.theta1 = theta1
        self.theta2 = theta2
        self.theta1Dot = theta1Dot
        self.theta2Dot = theta2Dot
    }

    /// Shape of one observation.
    public var observationShape: [Int] { [6] }
    /// The Gymnasium action space.
    public var actionSpace: ActionSpace { .discrete(count: 3) }

    /// All four state variables uniform in [−0.1, 0.1), drawn in the order θ1, θ2, θ̇1, θ̇2.
    public mutating func reset(rng: inout RandomStream) {
        theta1 = rng.uniform(-0.1, 0.1)
        theta2 = rng.uniform(-0.1, 0.1)
        theta1Dot = rng.uniform(-0.1, 0.1)
        theta2Dot = rng.uniform(-0.1, 0.1)
    }

    /// Time derivative of `(θ1, θ2, θ̇1, θ̇2)` under elbow torque `torque` ("book" dynamics).
    static func derivatives(_ s: SIMD4<Double>, torque: Double) -> SIMD4<Double> {
        let m1 = linkMass1, m2 = linkMass2, l1 = linkLength1
        let lc1 = linkCenterOfMass1, lc2 = linkCenterOfMass2
        let i1 = linkMomentOfInertia, i2 = linkMomentOfInertia, g = gravity
        let theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3]
        let d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos(theta2)) + i1 + i2
        let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos(theta2)) + i2
        let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2)
        let phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2) + phi2
        let ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * sin(theta2) - phi2)
            / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1)
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return SIMD4(dtheta1, dtheta2, ddtheta1, ddtheta2)
    }

    /// Gymnasium's `wrap`: shifts `x` by multiples of 2π into [−π, π] (π itself stays π).
    static func wrap(_ x: Double) -> Double {
        var y = x
        while y > Double.pi { y -= 2 * Double.pi }
        while y < -Double.pi { y += 2 * Double.pi }
        return y
    }

    /// One RK4 step of dt = 0.2 s, then wrap and clip.
    public mutating func step(_ action: Int, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        precondition((0..<3).contains(action), "Acrobot action must be 0, 1 or 2, got \(action)")
        let torque = Self.torques[action]
        let s = SIMD4(theta1, theta2, theta1Dot, theta2Dot)
        let h = Self.dt
        let k1 = Self.derivatives(s, torque: torque)
        let k2 = Self.derivatives(s + (h / 2) * k1, torque: torque)
        let k3 = Self.derivatives(s + (h / 2) * k2, torque: torque)
        let k4 = Self.derivatives(s + h * k3, torque: torque)
        let next = s + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
        theta1 = Self.wrap(next[0])
        theta2 = Self.wrap(next[1])
        theta1Dot = min(max(next[2], -Self.maxVelocity1), Self.maxVelocity1)
        theta2Dot = min(max(next[3], -Self.maxVelocity2), Self.maxVelocity2)
        let terminated = -cos(theta1) - cos(theta1 + theta2) > 1.0
        return (terminated ? 0 : -1, terminated)
    }

    /// Writes the observation (Float32 of the Double state) into `buffer`.
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count == 6, "Acrobot observation buffer needs 6 floats, got \(buffer.count)")
        buffer[0] = Float(cos(theta1))
        buffer[1] = Float(sin(theta1))
        buffer[2] = Float(cos(theta2))
        buffer[3] = Float(sin(theta2))
        buffer[4] = Float(theta1Dot)
        buffer[5] = Float(theta2Dot)
    }
}
