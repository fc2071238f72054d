import Foundation

/// An independent, reproducible stream of random numbers named by `(seed, stream)`.
///
/// The seed is Philox's key; the stream id fills the upper half of the 128-bit counter and
/// the block index its lower half, so two streams never share a block and a stream's whole
/// state is `(seed, stream, blockIndex, position)`: small, `Codable`, and enough to resume
/// bit-identically. Every environment, training seed and ES population member gets its
/// own stream (see `StreamID`).
public struct RandomStream: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// Philox key: the experiment seed.
    public let seed: UInt64
    /// Which stream of that seed this is.
    public let stream: UInt64
    /// Index of the next block to generate.
    public var blockIndex: UInt64 { nextBlock }
    /// How many of the current block's four words have been used (4 = none left).
    public var position: Int { used }
    @usableFromInline var nextBlock: UInt64 = 0
    @usableFromInline var used: Int = 4
    @usableFromInline var buffer: SIMD4<UInt32> = .zero

    public init(seed: UInt64, stream: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
    }

    enum CodingKeys: String, CodingKey { case seed, stream, blockIndex, position }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(seed: try c.decode(UInt64.self, forKey: .seed), stream: try c.decode(UInt64.self, forKey: .stream))
        try restore(blockIndex: try c.decode(UInt64.self, forKey: .blockIndex),
                    position: try c.decode(Int.self, forKey: .position))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(seed, forKey: .seed)
        try c.encode(stream, forKey: .stream)
        try c.encode(blockIndex, forKey: .blockIndex)
        try c.encode(position, forKey: .position)
    }

    /// Error for a stream state that cannot come from a real stream.
    public struct InvalidState: Error, CustomStringConvertible {
        public let description: String
    }

    /// Moves this stream to a saved `(blockIndex, position)`, as read from a checkpoint.
    public mutating func restore(blockIndex: UInt64, position: Int) throws {
        guard (0...4).contains(position), !(blockIndex == 0 && position < 4) else {
            throw InvalidState(description: "random stream state (block \(blockIndex), position \(position)) is invalid")
        }
        self.nextBlock = blockIndex
        self.used = position
        if position < 4 { buffer = Self.block(seed: seed, stream: stream, index: blockIndex - 1) }
    }

    @inlinable
    static func block(seed: UInt64, stream: UInt64, index: UInt64) -> SIMD4<UInt32> {
        Philox.block(
            counter: SIMD4(UInt32(truncatingIfNeeded: index), UInt32(truncatingIfNeeded: index >> 32),
                           UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32)),
            key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    /// The next 32 random bits.
    @inlinable
    public mutating func nextUInt32() -> UInt32 {
        if used == 4 {
            buffer = Self.block(seed: seed, stream: stream, index: nextBlock)
            nextBlock &+= 1
            used = 0
        }
        let value = buffer[used]
        used += 1
        return value
    }

    /// The next 64 random bits (two words), for `RandomNumberGenerator`.
    @inlinable
    public mutating func next() -> UInt64 {
        let lo = UInt64(nextUInt32())
        return (UInt64(nextUInt32()) << 32) | lo
    }

    /// Uniform in [0, 1) with 24 random bits (every Float in the grid k/2^24 is equally likely).
    @inlinable
    public mutating func uniformFloat() -> Float {
        Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniformDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [low, high).
    @inlinable
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * uniformFloat()
    }

    /// Uniform in [low, high), in double precision.
    @inlinable
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniformDouble()
    }

    /// True with probability `p`.
    @inlinable
    public mutating func bernoulli(_ p: Double) -> Bool {
        uniformDouble() < p
    }

    /// Uniform integer in `0..<n` without modulo bias (Lemire's multiply-shift with rejection).
    @inlinable
    public mutating func integer(below n: Int) -> Int {
        precondition(n > 0 && n <= Int(UInt32.max), "integer(below:) needs 0 < n <= 2^32-1, got \(n)")
        let bound = UInt32(n)
        var product = UInt64(nextUInt32()) &* UInt64(bound)
        var low = UInt32(truncatingIfNeeded: product)
        if low < bound {
            let threshold = (0 &- bound) % bound
            while low < threshold {
                product = UInt64(nextUInt32()) &* UInt64(bound)
                low = UInt32(truncatingIfNeeded: product)
            }
        }
        return Int(product >> 32)
    }

    /// Uniform integer in `low..<high`.
    @inlinable
    public mutating func integer(in range: Range<Int>) -> Int {
        range.lowerBound + integer(below: range.count)
    }

    /// Standard normal sample (Box-Muller in double precision; uses two words of the stream
    /// for one sample, so the number of words consumed per sample is always the same).
    @inlinable
    public mutating func normal() -> Double {
        let u1 = (Double(nextUInt32()) + 1.0) * (1.0 / 4_294_967_296.0) // (0, 1]
        let u2 = Double(nextUInt32()) * (1.0 / 4_294_967_296.0)         // [0, 1)
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// Standard normal sample as a Float.
    @inlinable
    public mutating func normalFloat() -> Float { Float(normal()) }

    /// Fills `buffer` with normal samples of the given mean and standard deviation.
    public mutating func fillNormal(_ buffer: inout [Float], mean: Float = 0, std: Float = 1) {
        for i in buffer.indices { buffer[i] = mean + std * normalFloat() }
    }

    /// Fills `buffer` with uniform samples in [low, high).
    public mutating func fillUniform(_ buffer: inout [Float], _ low: Float, _ high: Float) {
        for i in buffer.indices { buffer[i] = uniform(low, high) }
    }

    /// A Fisher-Yates shuffle of `array` driven by this stream. Inlinable, so callers get it
    /// specialised to their element type (unspecialised, the minibatch shuffle was 4% of a
    /// Breakout run).
    @inlinable
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, integer(below: i + 1))
        }
    }
}

/// Stream ids by purpose, so that the streams of one seed never collide: the purpose sits
/// in the top 16 bits, an index (environment, population member, ...) in the lower 48.
public enum StreamID {
    public static func make(_ purpose: Purpose, _ index: Int = 0) -> UInt64 {
        precondition(index >= 0 && index < (1 << 48), "stream index \(index) out of range")
        return (UInt64(purpose.rawValue) << 48) | UInt64(index)
    }

    /// What a stream is used for.
    public enum Purpose: UInt16, Sendable {
        case environment = 1
        case parameterInit = 2
        case actionSampling = 3
        case minibatchShuffle = 4
        case evolutionStrategies = 5
        case evaluation = 6
        /// Bootstrap resampling of run scores (`driftlab runs compare`).
        case bootstrap = 7
        case test = 0xFFFF
    }
}
