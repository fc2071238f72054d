import Foundation
import Training

/// One run of a sweep: what to train (the full `RunDescription`) and where its run file lives.
/// Codable so that an MPI coordinator can hand it to another rank as it is.
public struct PlannedRun: Sendable, Codable, Equatable {
    /// Environment name.
    public var env: String
    /// The drift's label in the sweep (the folder is `<env>-<label>`).
    public var label: String
    /// Everything the run file records about what is trained.
    public var description: RunDescription
    /// The run file (relative paths are relative to the current directory).
    public var path: String

    public init(env: String, label: String, description: RunDescription, path: String) {
        self.env = env
        self.label = label
        self.description = description
        self.path = path
    }

    public var url: URL { URL(fileURLWithPath: path) }
    public var seed: UInt64 { description.seed }
    /// `<env>-<label>`, the name of the run's folder in a sweep.
    public var group: String { "\(env)-\(label)" }
}
