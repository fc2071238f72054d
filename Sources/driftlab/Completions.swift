import ArgumentParser
import Foundation
import TaskCatalog
import Training

/// Shell completion (`driftlab --generate-completion-script bash|zsh|fish`) of the names a
/// user would otherwise look up: environments, presets and drift specs.
enum Completions {
    static let environments = CompletionKind.list(EnvironmentCatalog.names)
    static let presets = CompletionKind.list(TrainingPreset.allCases.map(\.rawValue))

    /// Drift specs: the built-in names with their options spelled out, and drift files
    /// (`*.h5`) under the typed prefix's folder.
    static let drifts = CompletionKind.custom { _, _, prefix in
        let specs = ["ppo", "ppo:eps=0.2", "dpo", "dpo:alpha=2,beta=0.6", "lpo", "lpo:init=random,seed=0", "lpo-zero", "ta-lpo"]
        let folder = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) + "/" : ""
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? [])
            .filter { $0.hasSuffix(".h5") }.map { folder + $0 }
        return (specs + files).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The presets as help text: all of them, so `--help` answers "which presets are there".
    static var presetHelp: String { TrainingPreset.allCases.map(\.rawValue).joined(separator: ", ") }
}
