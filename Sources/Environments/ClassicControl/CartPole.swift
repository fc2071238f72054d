import Foundation
import Tensors

/// CartPole-v1 (Barto, Sutton & Anderson 1983), with Gymnasium's constants and its default
/// Euler integrator (`shared/design/MINATAR.md`, classic control).
///
/// Action 0 pushes the cart left with 10 N, action 1 right. Reward +1 every step, the
/// terminating one included. Observation `[4]`: cart position, cart velocity, pole angle
/// (rad), pole angular velocity. Dynamics are computed in `Double`.
public struct CartPole: Environment, Equatable {
    /// A discrete action index.
    public typealias Action = Int

    /// Gymnasium's episode limit (`max_episode_steps`); the vectorised wrapper truncates there.
    public static let maxEpisodeSteps = 500

    static let gravity = 9.8
    static let cartMass = 1.0
    static let poleMass = 0.1
    static let totalMass = cartMass + poleMass
    /// Half the pole's length.
    static let halfLength = 0.5
    static let poleMassLength = poleMass * halfLength
    static let forceMagnitude = 10.0
    static let tau = 0.02
    /// 12 degrees.
    static let thetaThreshold = 12 * 2 * Double.pi / 360
    static let xThreshold = 2.4

    var x = 0.0
    var xDot = 0.0
    var theta = 0.0
    var thetaDot = 0.0

    /// A cart at rest in the middle with an upright pole (call `reset` to start an episode).
    public init() {}

    init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
        self.x = x
        self.xDot = xDot
        self.theta = theta
        self.thetaDot = thetaDot
    }

    /// Shape of one observation.
    public var observationShape: [Int] { [4] }
    /// The Gymnasium action space.
    public var actionSpace: ActionSpace { .discrete(count: 2) }

    /// Every state variable uniform in [−0.05, 0.05), drawn in the order x, ẋ, θ, θ̇.
    public mutating func reset(rng: inout RandomStream) {
        x = rng.uniform(-0.05, 0.05)
        xDot = rng.uniform(-0.05, 0.05)
        theta = rng.uniform(-0.05, 0.05)
        thetaDot = rng.uniform(-0.05, 0.05)
    }

    /// One Euler step of τ = 0.02 s; `terminated` only by the position or angle limits.
    public mutating func step(_ action: Int, rng: inout RandomStream) -> (reward: Float, terminated: Bool) {
        precondition(action == 0 || action == 1, "CartPole action must be 0 or 1, got \(action)")
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta)
        let sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * thetaDot * thetaDot * sinTheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.halfLength * (4.0 / 3.0 - Self.poleMass * cosTheta * cosTheta / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        // Euler: positions advance with the old velocities.
        x += Self.tau * xDot
        xDot += Self.tau * xAcc
        theta += Self.tau * thetaDot
        thetaDot += Self.tau * thetaAcc
        let terminated = x < -Self.xThreshold || x > Self.xThreshold
            || theta < -Self.thetaThreshold || theta > Self.thetaThreshold
        return (1, terminated)
    }

    /// Writes the observation (Float32 of the Double state) into `buffer`.
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        precondition(buffer.count == 4, "CartPole observation buffer needs 4 floats, got \(buffer.count)")
        buffer[0] = Float(x)
        buffer[1] = Float(xDot)
        buffer[2] = Float(theta)
        buffer[3] = Float(thetaDot)
    }
}
