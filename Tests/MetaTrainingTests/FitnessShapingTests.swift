import Testing
@testable import MetaTraining
import TestSupport

@Suite struct FitnessShapingTests {
    @Test func rawIsIdentity() {
        let f = [3.0, -1.5, 0, 2e6]
        #expect(FitnessShaping.raw.shape(f) == f)
    }

    @Test func zScoreMatchesHandValues() {
        // f = [1, 2, 3, 4]: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
        let std = 1.25.squareRoot()
        let expected = [-1.5, -0.5, 0.5, 1.5].map { $0 / (std + 1e-8) }
        let z = FitnessShaping.zScore.shape([1, 2, 3, 4])
        for (a, b) in zip(z, expected) { #expect(abs(a - b) <= Tolerance.float64) }
        // Shaped values have mean 0 and (population) standard deviation just under 1.
        let z2 = FitnessShaping.zScore([10, -3, 7.5, 0.25, 4, 4])
        #expect(abs(z2.reduce(0, +)) < 1e-12)
        let variance = z2.map { $0 * $0 }.reduce(0, +) / Double(z2.count)
        #expect(abs(variance - 1) < 1e-6)
    }

    @Test func zScoreOfEqualFitnessIsExactlyZero() {
        // 0.1 * 3 / 3 does not round back to 0.1: the all-equal case must not rely on arithmetic.
        for f in [[0.1, 0.1, 0.1], [7.0, 7.0], [-1e300, -1e300, -1e300, -1e300]] {
            let z = FitnessShaping.zScore(f)
            #expect(z == [Double](repeating: 0, count: f.count))
        }
        #expect(FitnessShaping.zScore([]) == [])
    }

    @Test func centeredRanksSpanHalfInterval() {
        // Ranks of [3, 1, 2] are [2, 0, 1]; divided by P - 1 = 2, minus 0.5.
        #expect(FitnessShaping.centeredRanks([3, 1, 2]) == [0.5, -0.5, 0])
        let r = FitnessShaping.centeredRanks([5, -2, 9, 0.5, 100, -7])
        #expect(r.min() == -0.5 && r.max() == 0.5)
        // Ranks [3, 1, 4, 2, 5, 0] / 5 - 0.5.
        let expected = [0.1, -0.3, 0.3, -0.1, 0.5, -0.5]
        for (a, b) in zip(r, expected) { #expect(abs(a - b) <= 1e-15) }
    }

    @Test func centeredRanksAverageTies() {
        // [1, 2, 2, 5]: ranks 0, (1 + 2) / 2, (1 + 2) / 2, 3; divided by 3, minus 0.5.
        #expect(FitnessShaping.centeredRanks([1, 2, 2, 5]) == [-0.5, 0, 0, 0.5])
        // Three-way tie at the top: ranks 0, 1, 3, 3, 3 -> 0/4, 1/4, 3/4 - 0.5.
        #expect(FitnessShaping.centeredRanks([9, 9, -1, 0, 9]) == [0.25, 0.25, -0.5, -0.25, 0.25])
        // All equal: every member gets the middle rank, i.e. zero.
        #expect(FitnessShaping.centeredRanks([4, 4, 4, 4, 4, 4]) == [0, 0, 0, 0, 0, 0])
        #expect(FitnessShaping.centeredRanks([42]) == [0])
    }

    @Test func shapingPreservesOrder() {
        var stream = testStream(3)
        let f = (0..<32).map { _ in stream.normal() * 10 }
        for shaping in FitnessShaping.allCases {
            let s = shaping.shape(f)
            for i in f.indices { for j in f.indices where f[i] < f[j] { #expect(s[i] < s[j]) } }
        }
    }
}
