import Analysis
import ArgumentParser
import Figures
import Foundation

extension ScoreMetric: ExpressibleByArgument {}

/// `driftlab runs compare`: rliable-grade statistics over seeds and tasks, from run files.
struct RunsCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare algorithms over seeds and tasks: IQM, median, mean, optimality gap and P(X > Y) with stratified-bootstrap CIs.",
        discussion: """
        Runs are grouped by task (the env) and label (the drift spec, a drift file's name, or \
        LABEL=GLOB). Per task: mean, s.e., median and IQM of the raw scores, with CIs. Across \
        tasks, on normalised scores: IQM (25 % trimmed mean of all runs), median and mean of the \
        per-task means, optimality gap (1 − mean(min(x, 1))), each with a stratified-bootstrap \
        percentile CI (runs resampled within each task), and P(X > Y) for every pair of labels \
        (Mann–Whitney U / nm per task, ties ½, averaged over tasks). Definitions as rliable's \
        (Agarwal et al. 2021). Only tasks every label has are compared; unfinished runs are \
        left out unless --include-running.
        """)

    @Argument(help: "Run files, folders (searched recursively for *.h5), globs, or LABEL=GLOB.") var runs: [String]
    @Option(help: "Per-run score: final-return (mean episode_return of the last --final-fraction of updates), final-eval (last eval_return) or auc (mean episode_return over training).")
    var metric: ScoreMetric = .finalReturn
    @Option(help: "Fraction of a run's updates that final-return averages over, in (0, 1].") var finalFraction: Double = 0.05
    @Option(help: "Normalisation across tasks: none, ranges (needs --range for every task) or reference (needs --reference).")
    var normalize: NormalizeMode = .none
    @Option(name: .customLong("range"), help: "With --normalize ranges: a task's score range TASK=LOW:HIGH, mapped to 0 and 1 (repeatable).")
    var ranges: [String] = []
    @Option(help: "With --normalize reference: the label whose per-task mean score normalises to 1, e.g. ppo.") var reference: String?
    @Option(name: .customLong("baseline"), help: "With --normalize reference: a task's score that normalises to 0, TASK=SCORE (repeatable; default 0), e.g. a random policy's return from `driftlab env play`.")
    var baselines: [String] = []
    @Option(help: "Title of the --png figure.") var title: String?
    @Option(help: "Bootstrap replicates.") var reps: Int = 10_000
    @Option(help: "Seed of the bootstrap's random streams (fixes every interval).") var seed: UInt64 = 0
    @Flag(help: "Keep runs that have not finished (their final score is where they stand).") var includeRunning = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Draw the aggregate intervals, P(X > Y) and performance profiles (.png, .pdf or .svg).") var png: String?

    enum NormalizeMode: String, ExpressibleByArgument, CaseIterable {
        case none, ranges, reference
    }

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run file or folder") }
        guard (1...10_000_000).contains(reps) else { throw ValidationError("--reps must be in 1...10000000, got \(reps)") }
        guard finalFraction.isFinite, finalFraction > 0, finalFraction <= 1 else {
            throw ValidationError("--final-fraction must be in (0, 1], got \(finalFraction)")
        }
        let parsed = try parsedRanges()
        _ = try parsedBaselines()
        if normalize != .ranges && !ranges.isEmpty { throw ValidationError("--range needs --normalize ranges") }
        if normalize != .reference && (reference != nil || !baselines.isEmpty) {
            throw ValidationError("--reference and --baseline need --normalize reference")
        }
        switch normalize {
        case .none: break
        case .ranges:
            guard !parsed.isEmpty else { throw ValidationError("--normalize ranges needs --range TASK=LOW:HIGH for every task") }
        case .reference:
            guard let reference, !reference.isEmpty else { throw ValidationError("--normalize reference needs --reference LABEL") }
        }
        if let png { try ImageFormat.check(png, option: "--png") }
    }

    /// `--range` values by task.
    func parsedRanges() throws -> [String: ClosedRange<Double>] {
        var result: [String: ClosedRange<Double>] = [:]
        for item in ranges {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let bounds = parts.count == 2 ? parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Double($0) } : []
            guard parts.count == 2, !parts[0].isEmpty, bounds.count == 2, let low = bounds[0], let high = bounds[1],
                  low.isFinite, high.isFinite, low < high else {
                throw ValidationError("--range '\(item)' must be TASK=LOW:HIGH with finite numbers, LOW < HIGH")
            }
            guard result[parts[0]] == nil else { throw ValidationError("--range gives task '\(parts[0])' twice") }
            result[parts[0]] = low...high
        }
        return result
    }

    /// `--baseline` values by task.
    func parsedBaselines() throws -> [String: Double] {
        var result: [String: Double] = [:]
        for item in baselines {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let score = Double(parts[1]), score.isFinite else {
                throw ValidationError("--baseline '\(item)' must be TASK=SCORE with a finite number")
            }
            guard result[parts[0]] == nil else { throw ValidationError("--baseline gives task '\(parts[0])' twice") }
            result[parts[0]] = score
        }
        return result
    }

    func run() throws {
        let loaded = try finishedRuns(try RunSelection(runs).load(), includeRunning: includeRunning, anyway: "compares")
        let triples = try loaded.map { item in
            (label: item.label, task: item.env, score: try metric.score(of: item.run, path: item.path, finalFraction: finalFraction))
        }
        let input = try ScoreComparison.Input(triples)
        if !input.dropped.isEmpty {
            note("compared on the tasks every label has (\(input.tasks.joined(separator: ", "))); left out "
                 + input.dropped.map { "\($0.label) on \($0.task)" }.joined(separator: ", "))
        }
        let normalization: ScoreNormalization
        switch normalize {
        case .none:
            normalization = .none
            if input.tasks.count > 1 {
                note("aggregating raw scores of \(input.tasks.count) tasks with different scales; consider --normalize")
            }
        case .ranges: normalization = .ranges(try parsedRanges())
        case .reference: normalization = .reference(label: reference!, low: try parsedBaselines())
        }
        let comparison = try ScoreComparison(input, normalization: normalization, bootstrap: StratifiedBootstrap(reps: reps, seed: seed))
        if let png {
            let scoreLabel = normalize == .none ? metric.rawValue : "normalised \(metric.rawValue)"
            try ComparisonFigure.figure(comparison, title: title, scoreLabel: scoreLabel).write(to: URL(fileURLWithPath: png))
        }
        if json {
            print(try jsonString(Report(metric: metric.rawValue, comparison: comparison, runs: loaded)))
            return
        }
        printText(comparison)
        if let png { print("wrote \(png)") }
    }

    /// The comparison with the metric and the files each score came from.
    struct Report: Encodable {
        let metric: String
        let comparison: ScoreComparison
        let runs: [LabelledRun]

        enum CodingKeys: String, CodingKey { case metric, files }

        func encode(to encoder: Encoder) throws {
            try comparison.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(metric, forKey: .metric)
            var files: [String: [String: [String]]] = [:]
            for run in runs where comparison.tasks.contains(run.env) { files[run.label, default: [:]][run.env, default: []].append(run.path) }
            try c.encode(files, forKey: .files)
        }
    }

    func printText(_ c: ScoreComparison) {
        let width = max(5, c.labels.map(\.count).max() ?? 0)
        func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        func ci(_ pair: [Double]) -> String { String(format: "[%.4g, %.4g]", pair[0], pair[1]) }
        print("\(metric.rawValue) per task (raw scores; \(Int((c.confidence * 100).rounded())) % bootstrap CIs, \(c.reps) reps, seed \(c.seed)):")
        for task in c.tasks {
            print("  \(task)")
            for label in c.labels {
                let s = c.perTask[label]![task]!
                print("    \(pad(label))  n=\(s.runs)  mean \(String(format: "%.4g", s.mean)) ± \(String(format: "%.3g", s.stderr)) (s.e.) \(ci(s.meanCI))"
                      + "  median \(String(format: "%.4g", s.median)) \(ci(s.medianCI))  IQM \(String(format: "%.4g", s.iqm)) \(ci(s.iqmCI))")
            }
        }
        print("aggregate over \(c.tasks.count) task\(c.tasks.count == 1 ? "" : "s") (normalisation: \(c.normalization)):")
        for label in c.labels {
            let a = c.aggregate[label]!
            print("  \(pad(label))  IQM \(String(format: "%.4g", a.iqm)) \(ci(a.iqmCI))  median \(String(format: "%.4g", a.median)) \(ci(a.medianCI))"
                  + "  mean \(String(format: "%.4g", a.mean)) \(ci(a.meanCI))  optimality gap \(String(format: "%.4g", a.optimalityGap)) \(ci(a.optimalityGapCI))")
        }
        if !c.probabilityOfImprovement.isEmpty { print("probability of improvement:") }
        for entry in c.probabilityOfImprovement {
            print("  P(\(entry.x) > \(entry.y)) = \(String(format: "%.4f", entry.p)) \(ci(entry.ci))")
        }
    }
}

/// `loaded` without its unfinished runs (with a note naming them) unless `includeRunning`;
/// an error when none is left. `anyway` is the command's verb for the error's hint.
func finishedRuns(_ loaded: [LabelledRun], includeRunning: Bool, anyway: String) throws -> [LabelledRun] {
    let unfinished = loaded.filter { !$0.run.complete }
    guard !includeRunning && !unfinished.isEmpty else { return loaded }
    note("left out \(unfinished.count) unfinished run\(unfinished.count == 1 ? "" : "s") (--include-running keeps them): "
         + unfinished.map(\.path).joined(separator: ", "))
    let finished = loaded.filter(\.run.complete)
    guard !finished.isEmpty else { throw CLIError("none of the selected runs has finished (--include-running \(anyway) them anyway)") }
    return finished
}

/// A note for the user on stderr (so that --json output stays parseable).
func note(_ message: String) {
    FileHandle.standardError.write(Data("note: \(message)\n".utf8))
}

/// Image formats the Plotting module writes, chosen by extension.
enum ImageFormat {
    static let extensions = ["png", "pdf", "svg"]

    /// Fails unless `path` ends in .png, .pdf or .svg.
    static func check(_ path: String, option: String) throws {
        guard extensions.contains((path as NSString).pathExtension.lowercased()) else {
            throw ValidationError("\(option) '\(path)' must end in .png, .pdf or .svg")
        }
    }
}
