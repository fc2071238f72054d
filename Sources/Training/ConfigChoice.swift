import NeuralNets

/// A configuration field with a fixed set of values, stored (in JSON and in run files'
/// `/config`) as its raw string, so typed fields keep the files they always had.
/// `TrainingConfig.applying` checks an override against `choiceNames`.
public protocol ConfigChoice: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {
    /// Every valid value, as written in files and on the command line.
    static var choiceNames: [String] { get }
}

extension ConfigChoice {
    public static var choiceNames: [String] { allCases.map(\.rawValue) }

    /// Compares with the value's spelling in files (`config.activation == "swish"`).
    public static func == (choice: Self, name: String) -> Bool { choice.rawValue == name }
}

/// The hidden-layer nonlinearity of the actor and critic.
public enum HiddenActivation: String, ConfigChoice {
    case relu, tanh, swish

    /// The layers' activation function.
    public var activation: Activation {
        switch self {
        case .relu: return .relu
        case .tanh: return .tanh
        case .swish: return .swish
        }
    }
}

/// How the actor's and critic's weights start.
public enum WeightInitialisation: String, ConfigChoice {
    /// Orthogonal: gain sqrt 2 on hidden layers, 0.01 on the policy head, 1 on the value head.
    case orthogonal
    /// Lecun-uniform on every layer (Brax).
    case lecunUniform = "lecun-uniform"
}
