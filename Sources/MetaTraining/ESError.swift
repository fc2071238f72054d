/// Errors of the meta-training layer: a bad configuration or bad input to `tell`.
/// Each message names the field or the member at fault.
public enum ESError: Error, CustomStringConvertible, Equatable {
    /// A settings or hyperparameter field is out of range: `field` names it.
    case invalidConfiguration(field: String, reason: String)
    /// `tell` got a fitness vector of the wrong length.
    case fitnessCount(expected: Int, got: Int)
    /// `tell` got a NaN or infinite fitness (e.g. an inner training run that diverged).
    case nonFiniteFitness(member: Int, value: Double)
    /// A state or initial mean does not fit the strategy (wrong dimension, non-finite entries).
    case invalidState(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let field, let reason):
            return "invalid evolution-strategy configuration: \(field): \(reason)"
        case .fitnessCount(let expected, let got):
            return "fitness: expected one value per population member (\(expected)), got \(got)"
        case .nonFiniteFitness(let member, let value):
            return "fitness of population member \(member) is \(value); the caller must map failed runs to a finite penalty"
        case .invalidState(let message):
            return "invalid evolution-strategy state: \(message)"
        }
    }
}
