import Foundation
import Testing
import Tensors
import TestSupport
@testable import Environments

private func observation<E: Environment>(_ env: E) -> [Float] {
    var buffer = [Float](repeating: .nan, count: env.observationSize)
    buffer.withUnsafeMutableBufferPointer { env.writeObservation(into: $0) }
    return buffer
}

/// Steps a continuous environment with a one-component action.
private func step<E: Environment>(_ env: inout E, _ a: Float, rng: inout RandomStream) -> (reward: Float, terminated: Bool)
where E.Action == UnsafeBufferPointer<Float> {
    let action = [a]
    return action.withUnsafeBufferPointer { env.step($0, rng: &rng) }
}

/// Acrobot "book" derivatives written out again, independently of the library.
private func acrobotDerivatives(_ s: [Double], _ torque: Double) -> [Double] {
    let (t1, t2, w1, w2) = (s[0], s[1], s[2], s[3])
    // m1 = m2 = l1 = 1, lc1 = lc2 = 0.5, I1 = I2 = 1, g = 9.8
    let d1 = 0.25 + (1 + 0.25 + cos(t2)) + 2
    let d2 = (0.25 + 0.5 * cos(t2)) + 1
    let phi2 = 0.5 * 9.8 * cos(t1 + t2 - .pi / 2)
    let phi1 = -0.5 * w2 * w2 * sin(t2) - 2 * 0.5 * w2 * w1 * sin(t2) + 1.5 * 9.8 * cos(t1 - .pi / 2) + phi2
    let a2 = (torque + d2 / d1 * phi1 - 0.5 * w1 * w1 * sin(t2) - phi2) / (0.25 + 1 - d2 * d2 / d1)
    let a1 = -(d2 * a2 + phi1) / d1
    return [w1, w2, a1, a2]
}

/// One classic RK4 step of size h on plain arrays.
private func rk4Reference(_ s: [Double], torque: Double, h: Double) -> [Double] {
    func axpy(_ a: Double, _ x: [Double], _ y: [Double]) -> [Double] { zip(x, y).map { $1 + a * $0 } }
    let k1 = acrobotDerivatives(s, torque)
    let k2 = acrobotDerivatives(axpy(h / 2, k1, s), torque)
    let k3 = acrobotDerivatives(axpy(h / 2, k2, s), torque)
    let k4 = acrobotDerivatives(axpy(h, k3, s), torque)
    return (0..<4).map { s[$0] + h / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
}

@Suite("Classic control dynamics")
struct ClassicControlTests {
    @Test("Gymnasium episode limits")
    func limits() {
        #expect(CartPole.maxEpisodeSteps == 500)
        #expect(Pendulum.maxEpisodeSteps == 200)
        #expect(Acrobot.maxEpisodeSteps == 500)
        #expect(MountainCarContinuous.maxEpisodeSteps == 999)
        #expect(CartPole().actionSpace == .discrete(count: 2))
        #expect(Acrobot().actionSpace == .discrete(count: 3))
        #expect(Pendulum().actionSpace == .continuous(dim: 1, low: -2, high: 2))
        #expect(MountainCarContinuous().actionSpace == .continuous(dim: 1, low: -1, high: 1))
    }

    @Test("CartPole: one Euler step from (0, 0, 0.05, 0) pushing right")
    func cartPoleStep() {
        var rng = testStream()
        var env = CartPole(x: 0, xDot: 0, theta: 0.05, thetaDot: 0)
        let (reward, terminated) = env.step(1, rng: &rng)
        // sin 0.05 = 0.0499791693, cos 0.05 = 0.9987502604
        // temp = (10 + 0.05 * 0² * sin) / 1.1 = 9.0909090909
        // θacc = (9.8 * 0.0499791693 - 0.9987502604 * 9.0909090909)
        //        / (0.5 * (4/3 - 0.1 * 0.9987502604² / 1.1)) = -8.5897519629 / 0.6213256629 = -13.8248787644
        // xacc = 9.0909090909 - 0.05 * (-13.8248787644) * 0.9987502604 / 1.1 = 9.7185273303
        // x = 0 + 0.02 * 0, ẋ = 0.02 * 9.7185273303, θ = 0.05 + 0.02 * 0, θ̇ = 0.02 * -13.8248787644
        #expect(abs(env.x - 0) < 1e-12)
        #expect(abs(env.xDot - 0.194370546605301) < 1e-12)
        #expect(abs(env.theta - 0.05) < 1e-12)
        #expect(abs(env.thetaDot - -0.2764975752871551) < 1e-12)
        #expect(reward == 1 && !terminated)
        #expect(observation(env) == [0, Float(env.xDot), 0.05, Float(env.thetaDot)])
    }

    @Test("CartPole terminates past |x| = 2.4 or |θ| = 12°, still paying +1")
    func cartPoleTermination() {
        var rng = testStream()
        // x' = 2.39 + 0.02 * 1 = 2.41 > 2.4
        var env = CartPole(x: 2.39, xDot: 1, theta: 0, thetaDot: 0)
        #expect(env.step(1, rng: &rng) == (1, true))
        // x' = 2.39 + 0.02 * 0.4 = 2.398: inside
        env = CartPole(x: 2.39, xDot: 0.4, theta: 0, thetaDot: 0)
        #expect(env.step(1, rng: &rng) == (1, false))
        // θ' = 0.2 + 0.02 * 0.5 = 0.21 > 0.2094395 (12 * 2π / 360)
        env = CartPole(x: 0, xDot: 0, theta: 0.2, thetaDot: 0.5)
        #expect(env.step(0, rng: &rng).terminated)
        // θ' = -0.2 + 0.02 * 0.4 = -0.192: inside
        env = CartPole(x: 0, xDot: 0, theta: -0.2, thetaDot: 0.4)
        #expect(!env.step(0, rng: &rng).terminated)
    }

    @Test("Pendulum: cost from the pre-step state with the clipped torque")
    func pendulumStep() {
        var rng = testStream()
        var env = Pendulum(theta: 3.5, thetaDot: 1)
        let (reward, terminated) = step(&env, 3.0, rng: &rng)
        // u = clip(3, ±2) = 2; norm(3.5) = ((3.5 + π) mod 2π) - π = -2.7831853072
        // cost = 2.7831853072² + 0.1 * 1² + 0.001 * 2² = 7.7461204541 + 0.1 + 0.004 = 7.8501204541
        #expect(abs(Double(reward) - -7.850120454100327) < 1e-5)
        #expect(!terminated)
        // θ̇' = 1 + (3 * 10 / 2 * sin 3.5 + 3 * 2) * 0.05 = 1 + (15 * -0.3507832277 + 6) * 0.05 = 1.0369125792
        // θ' = 3.5 + 1.0369125792 * 0.05 = 3.5518456290 (not wrapped)
        #expect(abs(env.thetaDot - 1.0369125792327851) < 1e-12)
        #expect(abs(env.theta - 3.5518456289616394) < 1e-12)
        let obs = observation(env)
        #expect(obs == [Float(cos(env.theta)), Float(sin(env.theta)), Float(env.thetaDot)])
    }

    @Test("Pendulum clips the speed to ±8 and never terminates")
    func pendulumSpeedClip() {
        var rng = testStream()
        // θ̇' = 7.9 + (15 * sin(π/2) + 3 * 2) * 0.05 = 7.9 + 1.05 = 8.95 -> 8; θ' = π/2 + 8 * 0.05
        var env = Pendulum(theta: .pi / 2, thetaDot: 7.9)
        let (reward, terminated) = step(&env, 2, rng: &rng)
        #expect(env.thetaDot == 8)
        #expect(abs(env.theta - (Double.pi / 2 + 0.4)) < 1e-12)
        // cost = (π/2)² + 0.1 * 7.9² + 0.001 * 4
        #expect(abs(Double(reward) + (Double.pi * Double.pi / 4 + 6.241 + 0.004)) < 1e-5)
        #expect(!terminated)
        env = Pendulum(theta: -.pi / 2, thetaDot: -7.9)
        _ = step(&env, -5, rng: &rng)
        #expect(env.thetaDot == -8)
    }

    @Test("Acrobot: one RK4 step over dt = 0.2 matches a separate reference")
    func acrobotStep() {
        var rng = testStream()
        for (action, torque) in [(0, -1.0), (1, 0.0), (2, 1.0)] {
            var env = Acrobot(theta1: 0.3, theta2: -0.2, theta1Dot: 0.5, theta2Dot: -1.0)
            let (reward, terminated) = env.step(action, rng: &rng)
            let expected = rk4Reference([0.3, -0.2, 0.5, -1.0], torque: torque, h: 0.2)
            #expect(abs(env.theta1 - expected[0]) < 1e-12)
            #expect(abs(env.theta2 - expected[1]) < 1e-12)
            #expect(abs(env.theta1Dot - expected[2]) < 1e-12)
            #expect(abs(env.theta2Dot - expected[3]) < 1e-12)
            // Tip height -cos θ1 - cos(θ1 + θ2) is about -1.94: not done, reward -1.
            #expect(reward == -1 && !terminated)
        }
        // Python reference (same formulas, torque +1): [0.34224387666, -0.30931685282, -0.08717174223, -0.07306921814]
        var env = Acrobot(theta1: 0.3, theta2: -0.2, theta1Dot: 0.5, theta2Dot: -1.0)
        _ = env.step(2, rng: &rng)
        #expect(abs(env.theta1 - 0.3422438766639251) < 1e-12)
        #expect(abs(env.theta2Dot - -0.07306921813854794) < 1e-12)
        let obs = observation(env)
        #expect(obs[0] == Float(cos(env.theta1)) && obs[3] == Float(sin(env.theta2)) && obs[5] == Float(env.theta2Dot))
    }

    @Test("Acrobot wraps angles into [-π, π] and clips velocities to ±4π, ±9π")
    func acrobotWrapAndClip() {
        var rng = testStream()
        var env = Acrobot(theta1: 2.9, theta2: 3.0, theta1Dot: 12.5, theta2Dot: 27)
        _ = env.step(2, rng: &rng)
        let raw = rk4Reference([2.9, 3.0, 12.5, 27], torque: 1, h: 0.2)
        // Raw step: θ1 ≈ 0.614, θ2 ≈ 15.32 (two turns too far), θ̇1 ≈ -38.5, θ̇2 ≈ 111.7.
        #expect(raw[1] > 3 * Double.pi && raw[2] < -4 * Double.pi && raw[3] > 9 * Double.pi)
        #expect(abs(env.theta1 - raw[0]) < 1e-12)
        #expect(abs(env.theta2 - (raw[1] - 4 * Double.pi)) < 1e-12)
        #expect(env.theta1Dot == -4 * Double.pi)
        #expect(env.theta2Dot == 9 * Double.pi)
        #expect(Acrobot.wrap(Double.pi) == Double.pi)
        #expect(Acrobot.wrap(-Double.pi - 0.5) == Double.pi - 0.5)
    }

    @Test("Acrobot terminates when the tip is above the bar, with reward 0")
    func acrobotTermination() {
        var rng = testStream()
        // Upright and at rest: -cos π - cos π = 2 > 1, and it stays there for one step.
        var env = Acrobot(theta1: .pi, theta2: 0, theta1Dot: 0, theta2Dot: 0)
        #expect(env.step(1, rng: &rng) == (0, true))
        // Horizontal first link, second link straight up: -cos(π/2) - cos(π) = 1, not > 1 -> a step
        // later the tip has fallen a little below 1.
        env = Acrobot(theta1: .pi / 2, theta2: .pi / 2, theta1Dot: 0, theta2Dot: 0)
        #expect(env.step(1, rng: &rng) == (-1, false))
    }

    @Test("MountainCarContinuous stops dead at the left wall")
    func mountainCarLeftWall() {
        var rng = testStream()
        var env = MountainCarContinuous(position: -1.19, velocity: -0.05)
        let (reward, terminated) = step(&env, -1, rng: &rng)
        // v = -0.05 + (-1) * 0.0015 - 0.0025 * cos(3 * -1.19) = -0.0492259287 (inside ±0.07)
        // x = -1.19 - 0.0492259287 = -1.2392 -> clipped to -1.2, and v < 0 there -> v = 0
        #expect(env.position == -1.2 && env.velocity == 0)
        #expect(!terminated)
        #expect(abs(reward - -0.1) < 1e-7)
        // Away from the wall, velocity is kept: x = -0.5 -> v = -0.0015 - 0.0025 cos(-1.5) < 0.
        env = MountainCarContinuous(position: -0.5, velocity: 0)
        _ = step(&env, -1, rng: &rng)
        #expect(abs(env.velocity - (-0.0015 - 0.0025 * cos(-1.5))) < 1e-15)
        // The speed is clipped to ±0.07.
        // v = 0.0699 + 0.0015 - 0.0025 * cos(1.5) = 0.07122 -> 0.07
        env = MountainCarContinuous(position: 0.5, velocity: 0.0699)
        _ = step(&env, 1, rng: &rng)
        #expect(env.velocity == 0.07)
    }

    @Test("MountainCarContinuous: goal termination pays 100 minus 0.1·a² with the unclipped action")
    func mountainCarGoal() {
        var rng = testStream()
        var clipped = MountainCarContinuous(position: 0.44, velocity: 0.02)
        var unclipped = clipped
        let r1 = step(&clipped, 1, rng: &rng)
        let r2 = step(&unclipped, 2, rng: &rng)
        // v = 0.02 + 1 * 0.0015 - 0.0025 * cos(1.32) = 0.02 + 0.0015 - 0.0025 * 0.2481754517 = 0.0208795614
        // x = 0.44 + 0.0208795614 = 0.4608795614 >= 0.45 and v >= 0 -> terminated
        #expect(abs(clipped.position - 0.46087956137086905) < 1e-12)
        #expect(clipped == unclipped)
        #expect(r1.terminated && r2.terminated)
        // 100 - 0.1 * 1² = 99.9; 100 - 0.1 * 2² = 99.6
        #expect(abs(r1.reward - 99.9) < 1e-4 && abs(r2.reward - 99.6) < 1e-4)
        // Past the goal but rolling back: not terminated (Gymnasium's rule; gymnax zeroes v here).
        var rolling = MountainCarContinuous(position: 0.5, velocity: -0.01)
        let r3 = step(&rolling, 0, rng: &rng)
        #expect(!r3.terminated && r3.reward == 0 && rolling.velocity < 0)
    }

    @Test("reset ranges")
    func resetRanges() {
        var rng = testStream()
        var cart = CartPole(), pendulum = Pendulum(), acrobot = Acrobot(), car = MountainCarContinuous()
        var seen = Set<Double>()
        for _ in 0..<200 {
            cart.reset(rng: &rng)
            for v in [cart.x, cart.xDot, cart.theta, cart.thetaDot] { #expect(v >= -0.05 && v < 0.05) }
            pendulum.reset(rng: &rng)
            #expect(pendulum.theta >= -Double.pi && pendulum.theta < Double.pi)
            #expect(pendulum.thetaDot >= -1 && pendulum.thetaDot < 1)
            acrobot.reset(rng: &rng)
            for v in [acrobot.theta1, acrobot.theta2, acrobot.theta1Dot, acrobot.theta2Dot] { #expect(v >= -0.1 && v < 0.1) }
            car.reset(rng: &rng)
            #expect(car.position >= -0.6 && car.position < -0.4 && car.velocity == 0)
            seen.insert(car.position)
        }
        #expect(seen.count == 200)
        // Resets cover their ranges rather than collapsing to a point.
        var thetas: [Double] = []
        for _ in 0..<200 { pendulum.reset(rng: &rng); thetas.append(pendulum.theta) }
        #expect(thetas.min()! < -2.5 && thetas.max()! > 2.5)
    }
}
