import Environments
import Foundation
import NeuralNets
import Storage
import TaskCatalog
import Tensors

/// What a finished run needs to act: the actor's parameters and the observation normaliser it
/// was trained with. A complete run file keeps it under `/policy`, so the file can still be
/// evaluated after `RunFile.compact` drops the (much larger) resume state.
public struct TrainedPolicy: Sendable, Equatable {
    /// Updates the policy was trained for.
    public var update: Int
    /// The actor's flat parameters: each layer's kernel `(inputs, outputs)` row-major, then its bias.
    public var actorParameters: [Float]
    /// The running observation statistics, when the config normalises observations.
    public var normalizer: ObservationNormalizer?

    public init(update: Int, actorParameters: [Float], normalizer: ObservationNormalizer?) {
        self.update = update
        self.actorParameters = actorParameters
        self.normalizer = normalizer
    }

    /// The actor's share of a checkpoint (whose parameters list the actor's, then the critic's).
    public init(checkpoint: TrainerCheckpoint, actorParameterCount: Int) {
        self.init(update: checkpoint.updatesDone, actorParameters: Array(checkpoint.parameters.prefix(actorParameterCount)),
                  normalizer: checkpoint.normalizer)
    }

    /// Throws naming `path` unless the policy fits an actor of `actorParameterCount` parameters
    /// and every number in it is finite: a NaN policy plays nonsense without a word, and
    /// `RunFile.compact` must never drop the resume state for a policy like that.
    public func validate(actorParameterCount: Int, path: String) throws {
        guard actorParameters.count == actorParameterCount else {
            throw TrainingError.invalidRunFile(path: path, reason: "the policy has \(actorParameters.count) actor parameters, "
                                               + "but the run's config builds an actor with \(actorParameterCount)")
        }
        if let bad = actorParameters.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError.invalidRunFile(path: path, reason: "the policy's actor parameter \(bad) is \(actorParameters[bad]); "
                                               + "a policy must be finite")
        }
        if let normalizer, !(normalizer.mean + normalizer.sumOfSquares + [normalizer.count]).allSatisfy(\.isFinite) {
            throw TrainingError.invalidRunFile(path: path, reason: "the policy's observation statistics hold NaN or infinite values")
        }
    }

    /// Writes the policy into `group` (`/policy` of a run file; schema in docs/FILE-FORMATS.md).
    func write(into group: HDF5Group) throws {
        try group.setAttribute("update", update)
        try group.write(actorParameters, shape: [actorParameters.count], to: "actor_parameters")
        if let normalizer {
            try group.setAttribute("observation_count", normalizer.count)
            try group.write(normalizer.mean, shape: [normalizer.size], to: "observation_mean")
            try group.write(normalizer.sumOfSquares, shape: [normalizer.size], to: "observation_sum_of_squares")
            // What the actor divides by, for readers who do not want to redo the clipping.
            try group.write(normalizer.standardDeviation, shape: [normalizer.size], to: "observation_std")
        }
    }

    /// Reads the policy in `group`; errors name the file and the dataset.
    static func read(from group: HDF5Group, path: String) throws -> TrainedPolicy {
        let update = try group.attribute("update", as: Int.self)
        let actor = try group.read("actor_parameters", as: Float.self).values
        var normalizer: ObservationNormalizer?
        if try group.contains("observation_mean") {
            let mean = try group.read("observation_mean", as: Double.self).values
            let squares = try group.read("observation_sum_of_squares", as: Double.self).values
            normalizer = ObservationNormalizer(count: try group.attribute("observation_count", as: Double.self),
                                               mean: mean, sumOfSquares: squares)
            guard normalizer != nil else {
                throw TrainingError.invalidRunFile(path: path, reason: "/policy: observation_mean has \(mean.count) values, "
                                                   + "observation_sum_of_squares \(squares.count), or the count is invalid")
            }
        }
        return TrainedPolicy(update: update, actorParameters: actor, normalizer: normalizer)
    }
}
