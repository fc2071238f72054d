import Testing
@testable import Training

@Suite struct GAETests {
    /// Plain reference: per env, walk each episode segment backwards with the textbook recursion.
    @Test func handWorkedExampleWithTerminationAndTruncation() {
        // One env, 4 steps, gamma 0.9, lambda 0.5.
        // t=0: r=1, V=0.5          continues
        // t=1: r=2, V=1.0, truncated, V(final obs) = 3.0
        // t=2: r=0, V=0.2          continues
        // t=3: r=1, V=0.4, terminated
        // lastValue = 10 (must be ignored: t=3 terminated)
        let gae = GAE(gamma: 0.9, lambda: 0.5)
        let out = gae.compute(rewards: [1, 2, 0, 1], values: [0.5, 1.0, 0.2, 0.4],
                              terminated: [false, false, false, true], truncated: [false, true, false, false],
                              truncationValues: [0, 3.0, 0, 0], lastValues: [10])
        // t=3: delta = 1 + 0 - 0.4 = 0.6;                        A3 = 0.6
        // t=2: delta = 0 + 0.9*0.4 - 0.2 = 0.16;                 A2 = 0.16 + 0.45*0.6 = 0.43
        // t=1: delta = 2 + 0.9*3.0 - 1.0 = 3.7 (bootstrap on the final observation), trace cut: A1 = 3.7
        // t=0: delta = 1 + 0.9*1.0 - 0.5 = 1.4;                  A0 = 1.4 + 0.45*3.7 = 3.065
        let expected: [Float] = [3.065, 3.7, 0.43, 0.6]
        for (a, b) in zip(out.advantages, expected) { #expect(abs(a - b) < 1e-5) }
        for t in 0..<4 { #expect(abs(out.returns[t] - (expected[t] + [0.5, 1.0, 0.2, 0.4][t])) < 1e-5) }
    }

    @Test func bootstrapsFromLastValueWhenRolloutEndsMidEpisode() {
        // Two envs, 1 step: env 0 continues (bootstrap lastValue 2), env 1 terminated.
        let gae = GAE(gamma: 0.5, lambda: 1)
        let out = gae.compute(rewards: [1, 1], values: [0, 0], terminated: [false, true], truncated: [false, false],
                              truncationValues: [0, 0], lastValues: [2, 2])
        #expect(out.advantages == [2, 1]) // 1 + 0.5*2 ; 1 + 0
    }

    @Test func matchesMonteCarloReturnsWhenLambdaIsOne() {
        // With lambda = 1 and V = 0, advantages are discounted returns to the episode end.
        let gae = GAE(gamma: 0.9, lambda: 1)
        let out = gae.compute(rewards: [1, 1, 1], values: [0, 0, 0], terminated: [false, false, true],
                              truncated: [false, false, false], truncationValues: [0, 0, 0], lastValues: [0])
        let expected: [Float] = [1 + 0.9 + 0.81, 1 + 0.9, 1]
        for (a, b) in zip(out.advantages, expected) { #expect(abs(a - b) < 1e-6) }
    }
}
