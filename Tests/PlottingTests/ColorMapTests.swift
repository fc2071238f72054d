import Plotting
import Testing

@Suite struct ColorMapTests {
    @Test func divergingEndpointsMidpointAndClamping() {
        let map = ColorMap.diverging
        #expect(map.color(at: -1) == Color(red: 0.230, green: 0.299, blue: 0.754))
        #expect(map.color(at: 1) == Color(red: 0.706, green: 0.016, blue: 0.150))
        #expect(map.color(at: 0) == .white)
        #expect(map.color(at: -7) == map.color(at: -1) && map.color(at: 3) == map.color(at: 1))
        #expect(map.color(at: .nan) == map.nanColor)
        // Blue side is blue, red side is red.
        let cold = map.color(at: -0.6), warm = map.color(at: 0.6)
        #expect(cold.blue > cold.red && warm.red > warm.blue)
    }

    @Test func divergingIsBalancedInLuminance() {
        // Equal |value| must look equally strong on both sides: luminance of f(-x) ~ f(x),
        // and it falls monotonically away from the white centre.
        var previous = 1.0
        for step in 0...10 {
            let x = Double(step) / 10
            let minus = ColorMap.diverging.color(at: -x).relativeLuminance
            let plus = ColorMap.diverging.color(at: x).relativeLuminance
            #expect(abs(minus - plus) < 0.03, "luminance at ±\(x): \(minus) vs \(plus)")
            #expect(plus <= previous + 1e-12)
            previous = plus
        }
    }

    @Test func sequentialEndpointsAndMonotoneLuminance() {
        let map = ColorMap.sequential
        #expect(map.color(at: 0) == Color(hex: 0x440154))
        #expect(map.color(at: 1) == Color(hex: 0xFDE725))
        #expect(map.color(at: 0.5) == Color(hex: 0x21918C))
        var previous = -1.0
        for step in 0...20 {
            let luminance = map.color(at: Double(step) / 20).relativeLuminance
            #expect(luminance > previous)
            previous = luminance
        }
    }

    @Test func rescaledDomainKeepsZeroWhite() {
        let map = ColorMap.diverging.over(-4 ... 4)
        #expect(map.color(at: 0) == .white)
        #expect(map.color(at: -4) == ColorMap.diverging.color(at: -1))
        #expect(map.color(at: 2) == ColorMap.diverging.color(at: 0.5))
    }

    @Test func colorHexAndPalette() {
        #expect(Color(hex: 0x1F77B4) == .ppo)
        #expect(Color.lpo.description == "#ff7f0e")
        #expect(Color.dpo.description == "#2ca02c" && Color.lpoZero.description == "#d62728")
        #expect(Color.tab10.count == 10)
        #expect(Color.black.interpolated(to: .white, fraction: 0.25) == Color(red: 0.25, green: 0.25, blue: 0.25))
    }
}
