/// A seeded generator of awkward strings for property tests of parsers: pieces of the grammar
/// being parsed (given as `tokens`), digits, huge and negative numbers, separators, NaN and
/// infinity spellings, whitespace and arbitrary Unicode, glued in random order.
public struct RandomText {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    private static let common = ["0", "1", "7", "-", "-1", ",", ":", "=", ".", " ", "\t", "e", "e308", "-e", "nan", "NaN",
                                 "inf", "-inf", "+", "9223372036854775807", "9223372036854775808", "18446744073709551615",
                                 "18446744073709551616", "-9223372036854775808", "1e300", "1e-300", "0x10", "00", "٣",
                                 "\u{0}", "é", "🙂", "\n", "/", ".h5", "'", "\"", "\\", "none", "true", "false"]

    /// A string of up to `maxPieces` pieces drawn from `tokens` and the common pieces above.
    public mutating func string(tokens: [String], maxPieces: Int = 8) -> String {
        let count = below(maxPieces + 1)
        var text = ""
        for _ in 0..<count {
            switch below(10) {
            case 0..<4: text += tokens.isEmpty ? "" : tokens[below(tokens.count)]
            case 4..<8: text += Self.common[below(Self.common.count)]
            case 8: text += String(next() % 100_000)
            default:
                let scalar = Unicode.Scalar(UInt32(below(0x2FFF) + 1)) ?? "?"
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
