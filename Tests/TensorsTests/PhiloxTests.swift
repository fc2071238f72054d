import Foundation
import Testing
@testable import Tensors
import TestSupport

@Suite struct PhiloxTests {
    // Random123's published known-answer vectors for Philox4x32-10.
    @Test func knownAnswerVectors() {
        #expect(Philox.block(counter: SIMD4(0, 0, 0, 0), key: SIMD2(0, 0))
                == SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8))
        #expect(Philox.block(counter: SIMD4(repeating: 0xFFFF_FFFF), key: SIMD2(repeating: 0xFFFF_FFFF))
                == SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD))
        #expect(Philox.block(counter: SIMD4(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344),
                             key: SIMD2(0xA409_3822, 0x299F_31D0))
                == SIMD4(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1))
    }

    @Test func sameSeedAndStreamReproduce() {
        var a = RandomStream(seed: 7, stream: 3)
        var b = RandomStream(seed: 7, stream: 3)
        for _ in 0..<1000 { #expect(a.nextUInt32() == b.nextUInt32()) }
    }

    @Test func streamsAndSeedsDiffer() {
        var a = RandomStream(seed: 7, stream: 3)
        var b = RandomStream(seed: 7, stream: 4)
        var c = RandomStream(seed: 8, stream: 3)
        let xa = (0..<64).map { _ in a.nextUInt32() }
        let xb = (0..<64).map { _ in b.nextUInt32() }
        let xc = (0..<64).map { _ in c.nextUInt32() }
        #expect(xa != xb)
        #expect(xa != xc)
        // Independence in the crude sense: streams 3 and 4 agree on about 1/2 of their bits.
        var agree = 0
        for (p, q) in zip(xa, xb) { agree += 32 - (p ^ q).nonzeroBitCount }
        #expect(abs(Double(agree) / Double(64 * 32) - 0.5) < 0.05)
    }

    @Test func codableStateResumesMidBlock() throws {
        var a = RandomStream(seed: 99, stream: 1)
        for _ in 0..<6 { _ = a.nextUInt32() } // stop in the middle of the second block
        let saved = try JSONEncoder().encode(a)
        let expected = (0..<10).map { _ in a.nextUInt32() }
        var b = try JSONDecoder().decode(RandomStream.self, from: saved)
        #expect((0..<10).map { _ in b.nextUInt32() } == expected)
    }

    @Test func invalidStateIsRejected() {
        var a = RandomStream(seed: 1)
        #expect(throws: RandomStream.InvalidState.self) { try a.restore(blockIndex: 3, position: 7) }
        #expect(throws: RandomStream.InvalidState.self) { try a.restore(blockIndex: 0, position: 1) }
    }

    @Test func uniformAndNormalMoments() {
        var rng = testStream()
        let n = 200_000
        let u = SampleSummary((0..<n).map { _ in rng.uniformFloat() })
        #expect(abs(u.mean - 0.5) < 0.005)
        #expect(abs(u.standardDeviation - (1.0 / 12).squareRoot()) < 0.005)
        let z = SampleSummary((0..<n).map { _ in rng.normal() })
        #expect(abs(z.mean) < 0.01)
        #expect(abs(z.standardDeviation - 1) < 0.01)
    }

    @Test func integerBelowIsUniformAndInRange() {
        var rng = testStream(1)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[rng.integer(below: 6)] += 1 }
        for c in counts { #expect(abs(c - 10_000) < 400) } // ~4 sigma
    }

    @Test func shuffleIsAPermutation() {
        var rng = testStream(2)
        var xs = Array(0..<100)
        rng.shuffle(&xs)
        #expect(xs.sorted() == Array(0..<100))
        #expect(xs != Array(0..<100))
    }
}
