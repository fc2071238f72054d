import Foundation
import Training

/// Where every run of a sweep stands, one row per environment x drift label: how many seeds
/// are complete, partial (and how far) or missing, and the complete runs' final evaluation
/// return. Read-only: it opens run files and never writes them.
public struct SweepStatus: Sendable, Codable, Equatable {
    /// One environment x label.
    public struct Row: Sendable, Codable, Equatable {
        public var env: String
        public var label: String
        /// The folder `<out-dir>/<env>-<label>`.
        public var folder: String
        public var seeds: Int
        public var complete: [UInt64]
        /// Seeds with a resumable file, and the environment steps they reached.
        public var partial: [PartialRun]
        public var missing: [UInt64]
        /// Files that hold another run than the sweep's, or were trained with an earlier
        /// version of the drift file the sweep names (error messages).
        public var different: [String]
        /// Mean and standard error of the complete runs' final evaluation return (NaN if none).
        public var evalReturnMean: Double
        public var evalReturnStandardError: Double
        /// Complete runs with a finite final evaluation return.
        public var evalReturnCount: Int
        /// Wall-clock seconds of training in the row's complete and partial runs (evaluations
        /// excluded). With one run per idle core it is the row's compute; a run that shared its
        /// core (a loaded machine, a low priority) counts its waiting too.
        public var trainingSeconds: Double = 0
        /// The mean of that over the complete runs (NaN if none): the cost of one more seed.
        public var secondsPerCompleteRun: Double = .nan
    }

    /// A partial run: its seed, updates done, and steps reached.
    public struct PartialRun: Sendable, Codable, Equatable {
        public var seed: UInt64
        public var updates: Int
        public var totalUpdates: Int
        public var envSteps: Int
    }

    public var rows: [Row]

    /// The status of every run in `runs`, grouped by the plan's env x label order.
    public static func read(_ plan: SweepPlan, runs: [PlannedRun]) throws -> SweepStatus {
        var rows: [Row] = []
        for (env, label) in plan.groups {
            let group = runs.filter { $0.env == env && $0.label == label }
            var row = Row(env: env, label: label, folder: group.first.map { ($0.path as NSString).deletingLastPathComponent } ?? "",
                          seeds: group.count, complete: [], partial: [], missing: [], different: [],
                          evalReturnMean: .nan, evalReturnStandardError: .nan, evalReturnCount: 0)
            var returns: [Double] = []
            var completeSeconds: [Double] = []
            for run in group {
                let record = try RunRecord.read(run.url)
                if let stored = record.description, stored != run.description {
                    row.different.append("\(run.path): \(RunExecutor.difference(stored, run.description))")
                    continue
                }
                if record.description != nil, let change = RunExecutor.driftChange(of: run) {
                    row.different.append("\(run.path): \(change)")
                    continue
                }
                row.trainingSeconds += record.trainingSeconds
                switch record.state {
                case .missing: row.missing.append(run.seed)
                case .partial(let updates, let total, let steps):
                    row.partial.append(PartialRun(seed: run.seed, updates: updates, totalUpdates: total, envSteps: steps))
                case .complete:
                    row.complete.append(run.seed)
                    completeSeconds.append(record.trainingSeconds)
                    if record.finalEvalReturn.isFinite { returns.append(record.finalEvalReturn) }
                }
            }
            if !completeSeconds.isEmpty { row.secondsPerCompleteRun = completeSeconds.reduce(0, +) / Double(completeSeconds.count) }
            if !returns.isEmpty {
                let mean = returns.reduce(0, +) / Double(returns.count)
                let variance = returns.count > 1
                    ? returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count - 1) : 0
                row.evalReturnMean = mean
                row.evalReturnCount = returns.count
                row.evalReturnStandardError = (variance / Double(returns.count)).squareRoot()
            }
            rows.append(row)
        }
        return SweepStatus(rows: rows)
    }

    /// Totals over every row.
    public var completeCount: Int { rows.reduce(0) { $0 + $1.complete.count } }
    public var partialCount: Int { rows.reduce(0) { $0 + $1.partial.count } }
    public var missingCount: Int { rows.reduce(0) { $0 + $1.missing.count } }
    public var differentCount: Int { rows.reduce(0) { $0 + $1.different.count } }
    public var trainingSeconds: Double { rows.reduce(0) { $0 + $1.trainingSeconds } }

    /// A plain-text table, one line per row, and a totals line. Columns are as wide as their
    /// longest cell, so long labels (`lpo-breakout-s0.1`) keep the table aligned.
    public var table: String {
        func seedList(_ seeds: [UInt64]) -> String { seeds.isEmpty ? "-" : Self.compress(seeds) }
        var cells = [["env", "drift", "complete", "partial (seed@steps)", "missing", "time/run", "eval return (n)"]]
        var notes: [Int: [String]] = [:]
        for r in rows {
            let partial = r.partial.isEmpty ? "-" : r.partial.map { String(format: "%llu@%.3g", $0.seed, Double($0.envSteps)) }
                .joined(separator: ",")
            let eval = r.evalReturnMean.isNaN ? "-" : String(format: "%.2f ± %.2f (%d)", r.evalReturnMean, r.evalReturnStandardError, r.evalReturnCount)
            cells.append([r.env, r.label, "\(r.complete.count)/\(r.seeds) \(seedList(r.complete))", partial,
                          seedList(r.missing), r.secondsPerCompleteRun.isNaN ? "-" : Self.duration(r.secondsPerCompleteRun), eval])
            if !r.different.isEmpty { notes[cells.count - 1] = r.different.map { "  different run: \($0)" } }
        }
        let widths = Self.columnWidths(cells)
        var lines: [String] = []
        for (i, row) in cells.enumerated() {
            lines.append(Self.pad(row, widths: widths))
            lines += notes[i] ?? []
        }
        let total = rows.reduce(0) { $0 + $1.seeds }
        lines.append("\(completeCount) of \(total) runs complete, \(partialCount) partial, \(missingCount) missing"
                     + (differentCount > 0 ? ", \(differentCount) different" : "")
                     + "; wall time of training so far \(Self.duration(trainingSeconds))")
        return lines.joined(separator: "\n")
    }

    /// Each column's width: at least its usual width, and two more than its longest cell.
    static func columnWidths(_ cells: [[String]]) -> [Int] {
        let minimum = [16, 10, 20, 24, 14, 10, 0]
        return minimum.indices.map { c in max(minimum[c], (cells.map { $0[c].count }.max() ?? 0) + 2) }
    }

    static func pad(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map { cell, w in cell.padding(toLength: w, withPad: " ", startingAt: 0) }
            .joined().trimmingCharacters(in: .whitespaces)
    }

    /// Seconds as `42 s`, `3.5 min` or `2.25 h`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return String(format: "%.0f s", seconds) }
        if seconds < 5400 { return String(format: "%.1f min", seconds / 60) }
        return String(format: "%.2f h", seconds / 3600)
    }

    /// `[0, 1, 2, 5, 7, 8]` as `0-2,5,7-8`.
    static func compress(_ seeds: [UInt64]) -> String {
        var parts: [String] = []
        var i = 0
        let s = seeds.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            parts.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
