import Plotting
import Testing

@Suite struct NumberFormatTests {
    private let minus = "\u{2212}"

    @Test func negativesUseTheTrueMinusSign() {
        let format = NumberFormat(.fixed(fractionDigits: 2))
        #expect(format.string(-0.5) == "\(minus)0.50")
        #expect(format.string(-12) == "\(minus)12.00")
        #expect(format.string(3.14159) == "3.14")
        #expect(!format.string(-1).contains("-"))
        #expect(format.string(-1).unicodeScalars.first == "\u{2212}")
    }

    @Test func valuesRoundingToZeroHaveNoSign() {
        #expect(NumberFormat(.fixed(fractionDigits: 2)).string(-0.001) == "0.00")
        #expect(NumberFormat(.fixed(fractionDigits: 0)).string(-0.0) == "0")
    }

    @Test func significantDigitsAndExponents() {
        let format = NumberFormat(.significant(digits: 3))
        #expect(format.string(0.5) == "0.5")
        #expect(format.string(-1234567) == "\(minus)1.23e+06")
        #expect(format.string(1e-5) == "1e\(minus)05")
        #expect(format.string(-.infinity) == "\(minus)∞")
    }

    @Test func digitsFollowTheTickStep() {
        #expect(NumberFormat.forStep(0.5) == NumberFormat(.fixed(fractionDigits: 1)))
        #expect(NumberFormat.forStep(0.25) == NumberFormat(.fixed(fractionDigits: 2)))
        #expect(NumberFormat.forStep(2) == NumberFormat(.fixed(fractionDigits: 0)))
        #expect(NumberFormat.forStep(0.1) == NumberFormat(.fixed(fractionDigits: 1)))
        #expect(NumberFormat.forStep(0.1).string(-0.3) == "\(minus)0.3")
    }
}
