/// What is fixed for the whole meta-training run (evosax's constructor arguments):
/// the search-space dimension, the population size and how fitness is shaped.
/// Changing any of these invalidates a checkpointed `ESState`.
public struct ESSettings: Sendable, Equatable, Codable {
    /// Number of parameters searched over (the flattened drift network), `D`.
    public var dimension: Int
    /// Population members per generation, `P`; even, because members come in antithetic
    /// pairs `(+eps, -eps)`. Lu et al. (2022) use 32.
    public var populationSize: Int
    /// How raw fitness is transformed before the gradient estimate. The reference code of
    /// Lu et al. (2022) z-scores; Goldie et al. (2025) use centered ranks.
    public var fitnessShaping: FitnessShaping

    public init(dimension: Int, populationSize: Int = 32, fitnessShaping: FitnessShaping = .zScore) {
        self.dimension = dimension
        self.populationSize = populationSize
        self.fitnessShaping = fitnessShaping
    }

    /// Number of antithetic pairs, `P / 2`.
    public var pairCount: Int { populationSize / 2 }

    /// Largest population: each member is a whole training run, so 4096 is already days of work.
    public static let maximumPopulationSize = 4096
    /// Largest dimension searched over (the paper's networks have about 1,100 parameters).
    public static let maximumDimension = 10_000_000

    /// Throws naming the first field whose value is out of range.
    public func validate() throws {
        if dimension < 1 || dimension > Self.maximumDimension {
            throw ESError.invalidConfiguration(field: "dimension", reason: "must be in 1...\(Self.maximumDimension), got \(dimension)")
        }
        if populationSize > Self.maximumPopulationSize {
            throw ESError.invalidConfiguration(
                field: "populationSize", reason: "\(populationSize) is above the limit of \(Self.maximumPopulationSize)")
        }
        if populationSize < 2 || populationSize % 2 != 0 {
            throw ESError.invalidConfiguration(
                field: "populationSize",
                reason: "must be even and at least 2 (antithetic pairs), got \(populationSize)")
        }
    }
}
