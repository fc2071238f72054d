import Foundation
import Plotting
import Testing

@Suite struct LinearScaleTests {
    @Test func ticksOnOneTwoFiveSteps() {
        #expect(LinearScale.niceTicks(in: 0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(LinearScale.niceTicks(in: -4...4) == [-4, -2, 0, 2, 4])
        #expect(LinearScale.niceTicks(in: 0...1e7) == [0, 2e6, 4e6, 6e6, 8e6, 1e7])
        // Decimal steps print exactly (no 0.30000000000000004).
        #expect(LinearScale.niceTicks(in: 0...1, targetCount: 10) == [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
        // Ends that are not multiples of the step are left out: 0.37 ... 2.72 by 0.5.
        #expect(LinearScale.niceTicks(in: exp(-1.0)...exp(1.0)) == [0.5, 1, 1.5, 2, 2.5])
        #expect(LinearScale.niceTicks(in: -0.013...0.027, targetCount: 4) == [-0.01, 0, 0.01, 0.02])
        // Steps are always 1, 2 or 5 times a power of ten, the count near the target.
        for (domain, target) in [(0.0...3.7, 5), (-123.0...4567.0, 6), (1e-5...9e-5, 4), (0.0...1e7, 3)] {
            let step = LinearScale.niceStep(for: domain, targetCount: target)
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "step \(step) for \(domain)")
            let count = LinearScale.niceTicks(in: domain, targetCount: target).count
            #expect(count >= max(2, target / 2) && count <= 2 * target + 1, "\(count) ticks for \(domain)")
        }
    }

    @Test func degenerateDomainsGiveFiniteTicks() {
        for domain in [3.0...3.0, 0.0...0.0, -1e-300...(-1e-300), 0...Double.infinity, -Double.infinity...Double.infinity] {
            let ticks = LinearScale.niceTicks(in: domain)
            #expect(!ticks.isEmpty && ticks.allSatisfy(\.isFinite), "\(domain): \(ticks)")
            let scale = LinearScale(domain: domain, start: 0, end: 100)
            #expect(scale.domain.upperBound > scale.domain.lowerBound)
            #expect(scale.map(domain.lowerBound.isFinite ? domain.lowerBound : 0).isFinite)
        }
        // 3 ± 10 %: [2.7, 3.3] by 0.1.
        #expect(LinearScale.niceTicks(in: 3...3) == [2.7, 2.8, 2.9, 3, 3.1, 3.2, 3.3])
        #expect(LinearScale(domain: 0...0).domain == -1...1)
    }

    @Test func mapsAndInverts() {
        let x = LinearScale(domain: 0...1, start: 40, end: 240)
        #expect(x.map(0.5) == 140 && x.map(0) == 40 && x.map(1) == 240)
        #expect(abs(x.invert(190) - 0.75) < 1e-12)
        // A y scale runs upwards: the lowest value at the bottom (larger canvas y).
        let y = LinearScale(domain: -4...4, start: 300, end: 100)
        #expect(y.map(-4) == 300 && y.map(4) == 100 && y.map(0) == 200)
        #expect(abs(y.invert(150) - 2) < 1e-12)
        #expect(LinearScale.nicedDomain(0.03...0.97) == 0...1)
    }

    @Test func automaticLabelsUseMinusSignsAndUnits() {
        let minus = "\u{2212}"
        #expect(TickLabels.automatic.marks(in: -4...4, targetCount: 5).map(\.label) == ["\(minus)4", "\(minus)2", "0", "2", "4"])
        #expect(TickLabels.automatic.marks(in: 0...1, targetCount: 5).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(TickLabels.automatic.marks(in: 0...1e7, targetCount: 5).map(\.label) == ["0", "2M", "4M", "6M", "8M", "10M"])
        #expect(TickLabels.automaticLabels(for: [0, 2.5e5, 5e5]) == ["0", "250k", "500k"])
        #expect(TickLabels.automaticLabels(for: [0, 5000, 10000]) == ["0", "5000", "10000"])
        #expect(TickLabels.automaticLabels(for: [-2e-4, 0, 2e-4]) == ["\(minus)2×10^{\(minus)4}", "0", "2×10^{\(minus)4}"])
        #expect(TickLabels.automaticLabels(for: [3e9, 6e9]) == ["3B", "6B"])
    }

    @Test func customTickLabels() {
        let minus = "\u{2212}"
        let exponential = TickLabels.exponential(base: "e").marks(in: -1...1, targetCount: 4)
        #expect(exponential.map(\.value) == [-1, -0.5, 0, 0.5, 1])
        #expect(exponential.map(\.label) == ["e^{\(minus)1}", "e^{\(minus)0.5}", "e^{0}", "e^{0.5}", "e^{1}"])
        let fixed = TickLabels.labeled([(-1, "low"), (0, "mid"), (1, "high"), (5, "outside")]).marks(in: -1...1, targetCount: 9)
        #expect(fixed == [TickMark(value: -1, label: "low"), TickMark(value: 0, label: "mid"), TickMark(value: 1, label: "high")])
        #expect(TickLabels.formatted { "<\($0)>" }.marks(in: 0...2, targetCount: 2).map(\.label) == ["<0.0>", "<1.0>", "<2.0>"])
        #expect(TickLabels.hidden.marks(in: 0...1, targetCount: 5).allSatisfy { $0.label.isEmpty })
    }
}
