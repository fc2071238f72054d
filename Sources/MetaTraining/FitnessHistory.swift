import Foundation
import Tensors

/// The course of a meta-training run, generation by generation: the population's fitness
/// (mean, median, range), the ES noise scale and the wall-clock cost, read from a
/// meta-training file's `/es/history`.
///
/// With one inner environment a member's fitness is its final policy's mean return, so the
/// curve is on the task's own scale. With several, fitness is a per-generation z-score across
/// the population (`InnerTraining.combine`), whose mean is 0 by construction: there the
/// population's mean return on each environment (`taskMeans`, from the recorded raw
/// returns) says whether it trains better.
public struct FitnessHistory: Sendable, Equatable {
    /// One generation's summary.
    public struct Generation: Sendable, Equatable, Codable {
        public var generation: Int
        public var mean: Double
        public var median: Double
        public var max: Double
        public var min: Double
        /// Noise scale the generation was sampled with.
        public var sigma: Double
        /// Wall-clock seconds the generation took.
        public var seconds: Double
        /// The population's mean raw return on each inner environment (finite runs only);
        /// nil where the file has no raw returns for the generation.
        public var taskMeans: [Double]? = nil
        /// The best and worst member's raw return on each inner environment (nil as above).
        public var taskMax: [Double]? = nil
        public var taskMin: [Double]? = nil
    }

    /// Mean fitness over a block of generations, with the standard error of that mean across
    /// the block's generations (each generation draws its own inner seed, so the generation
    /// means are the noisy samples).
    public struct Block: Sendable, Equatable, Codable {
        public var first: Int
        public var last: Int
        public var mean: Double
        public var standardError: Double
        /// The best member's fitness in the block.
        public var best: Double
        /// Noise scale of the block's last generation.
        public var sigma: Double
        /// Mean wall-clock seconds per generation in the block.
        public var seconds: Double
        /// Per inner environment, the mean of the generations' mean raw return and its
        /// standard error over the block's generations that have raw returns (NaN if none).
        public var taskMeans: [Double] = []
        public var taskStandardErrors: [Double] = []
    }

    public var generations: [Generation]

    /// Summaries of `records`, in their order; a generation's non-finite fitness values (an
    /// inner run that broke) are left out of its statistics.
    public init(_ records: [GenerationRecord]) {
        generations = records.map { record in
            let values = record.fitness.filter(\.isFinite)
            let tasks = record.returns.map(Self.columnSummary)
            return Generation(generation: record.generation, mean: values.isEmpty ? .nan : SampleSummary(values).mean,
                              median: Self.median(values), max: values.max() ?? .nan, min: values.min() ?? .nan,
                              sigma: record.sigma, seconds: record.seconds,
                              taskMeans: tasks?.means, taskMax: tasks?.max, taskMin: tasks?.min)
        }
    }

    /// Mean, largest and smallest finite entry of each column of `[member][environment]`
    /// (NaN for a column with none).
    public static func columnSummary(_ returns: [[Double]]) -> (means: [Double], max: [Double], min: [Double]) {
        guard let width = returns.first?.count else { return ([], [], []) }
        let columns = (0..<width).map { e in returns.map { $0[e] }.filter(\.isFinite) }
        return (columns.map { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) },
                columns.map { $0.max() ?? .nan }, columns.map { $0.min() ?? .nan })
    }

    /// Total wall-clock seconds of the recorded generations.
    public var totalSeconds: Double { generations.reduce(0) { $0 + $1.seconds } }

    /// Median seconds per generation (robust to generations slowed by other jobs).
    public var medianSeconds: Double { Self.median(generations.map(\.seconds)) }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), n = sorted.count
        guard n > 0 else { return .nan }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// Consecutive blocks of `size` generations (the last one may be shorter), each with the
    /// mean of its generations' mean fitness, that mean's standard error (NaN for a block of
    /// one generation), the best member and the seconds per generation.
    public func blocks(of size: Int) -> [Block] {
        precondition(size >= 1, "FitnessHistory.blocks needs a block size of at least 1")
        return stride(from: 0, to: generations.count, by: size).map { start in
            let block = generations[start..<Swift.min(start + size, generations.count)]
            let means = SampleSummary(block.map(\.mean).filter(\.isFinite))
            let width = block.compactMap(\.taskMeans).map(\.count).max() ?? 0
            let tasks = (0..<width).map { e in
                SampleSummary(block.compactMap { $0.taskMeans?[e] }.filter(\.isFinite))
            }
            return Block(first: block.first!.generation, last: block.last!.generation,
                         mean: means.count > 0 ? means.mean : .nan,
                         standardError: means.count > 1 ? means.standardError : .nan,
                         best: block.map(\.max).filter(\.isFinite).max() ?? .nan, sigma: block.last!.sigma,
                         seconds: block.reduce(0) { $0 + $1.seconds } / Double(block.count),
                         taskMeans: tasks.map { $0.count > 0 ? $0.mean : .nan },
                         taskStandardErrors: tasks.map { $0.count > 1 ? $0.standardError : .nan })
        }
    }

    /// Trailing mean of the generations' mean fitness over `window` generations (fewer at
    /// the start), the smoothed curve of a fitness plot.
    public func trailingMean(window: Int) -> [Double] {
        Self.trailingMean(generations.map(\.mean), window: window)
    }

    /// Trailing mean of `values` over `window` entries (fewer at the start), NaN entries
    /// left out.
    public static func trailingMean(_ values: [Double], window: Int) -> [Double] {
        precondition(window >= 1, "FitnessHistory.trailingMean needs a window of at least 1")
        return values.indices.map { i in
            let kept = values[Swift.max(0, i - window + 1)...i].filter(\.isFinite)
            return kept.isEmpty ? .nan : kept.reduce(0, +) / Double(kept.count)
        }
    }
}
