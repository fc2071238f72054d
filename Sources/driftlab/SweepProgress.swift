import Foundation
import Sweeps

/// Progress of a whole sweep: runs done, running and left, the fraction of training done, and
/// the ETA from the training rate so far. On a terminal a single line, redrawn in place and
/// cut to the terminal's width; into a pipe or file, a plain line per event worth a line
/// (a run started, finished or failed) and a summary line every 30 s.
final class SweepProgress: @unchecked Sendable {
    private let runs: [PlannedRun]
    private let quiet: Bool
    private let isTerminal: Bool
    private let lock = NSLock()
    private let start = Date()
    private var lastLine = Date.distantPast
    private var lastText = ""
    /// Per run: fraction of its updates done, and the fraction it had when this call took it.
    private var fraction: [Double]
    private var baseline: [Double?]
    private var running: [Int: String] = [:]
    private var done = 0, skipped = 0, failed = 0

    /// Whether a run's end prints a line of its own (false when the caller prints its own
    /// through ``note(_:)``).
    private let messages: Bool

    /// `live`: redraw one line in place when stdout is a terminal (pass false under mpirun,
    /// which gives rank 0 a pseudo-terminal even when the job's output goes to a file).
    init(runs: [PlannedRun], quiet: Bool, live: Bool = true, messages: Bool = true) {
        self.runs = runs
        self.messages = messages
        isTerminal = live && isatty(STDOUT_FILENO) != 0
        self.quiet = quiet
        fraction = Array(repeating: 0, count: runs.count)
        baseline = Array(repeating: nil, count: runs.count)
    }

    func handle(_ event: SweepEvent) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        var message: String?
        switch event {
        case .started(let run, let worker):
            running[run] = worker
        case .progress(let run, let update, let total):
            let f = Double(update) / Double(max(total, 1))
            if baseline[run] == nil { baseline[run] = Double(update - 1) / Double(max(total, 1)) }
            fraction[run] = f
        case .finished(let run, let outcome):
            running[run] = nil
            let name = "\(runs[run].group)/\(runs[run].seed)"
            switch outcome {
            case .skipped:
                skipped += 1; done += 1
                fraction[run] = 1; baseline[run] = 1
            case .trained(let updates, let eval):
                done += 1
                fraction[run] = 1
                message = String(format: "done %@: %d updates trained, eval return %.3f", name, updates, eval)
            case .stopped(let update):
                message = "stopped \(name) at update \(update) (checkpoint written)"
            }
        case .failed(let run, let text):
            running[run] = nil
            failed += 1
            message = "failed \(runs[run].group)/\(runs[run].seed): \(text)"
        }
        if !messages { message = nil }
        render(message: message, force: message != nil)
    }

    /// The summary line: counts, fraction, ETA, and the active runs as far as they fit.
    private func line(width: Int?) -> String {
        let left = runs.count - done - failed - running.count
        let trained = zip(fraction, baseline).reduce(0.0) { $0 + max(0, $1.0 - ($1.1 ?? $1.0)) }
        let remaining = fraction.reduce(0.0) { $0 + (1 - $1) }
        let elapsed = Date().timeIntervalSince(start)
        let eta = trained > 0 ? elapsed / trained * remaining : .infinity
        // Counts and ETA first, so that a narrow terminal still shows them.
        var text = String(format: "runs %d/%d done, %d running, %d left  %.1f%%  ETA %@", done, runs.count,
                          running.count, left, 100 * (1 - remaining / Double(max(runs.count, 1))), ProgressLine.duration(eta))
        if skipped > 0 { text += "  (\(skipped) were complete)" }
        if failed > 0 { text += "  \(failed) failed" }
        for (run, _) in running.sorted(by: { $0.key < $1.key }) {
            let item = String(format: "  %@/%llu %.0f%%", runs[run].group, runs[run].seed, 100 * fraction[run])
            if let width, text.count + item.count > width - 1 { break }
            text += item
        }
        if let width, text.count > width - 1 { text = String(text.prefix(max(width - 1, 0))) }
        return text
    }

    private func render(message: String?, force: Bool) {
        let now = Date()
        if isTerminal {
            if let message { print("\r\(message)\u{1B}[K") }
            guard force || now.timeIntervalSince(lastLine) >= 0.2 else { return }
            lastLine = now
            print("\r\(line(width: Self.terminalWidth()))\u{1B}[K", terminator: "")
        } else {
            if let message { print(message) }
            guard force || now.timeIntervalSince(lastLine) >= 30 else { return }
            lastLine = now
            lastText = line(width: nil)
            print(lastText)
        }
        fflush(nil)
    }

    /// Ends the live line.
    func finish() {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        if isTerminal {
            print("\r\(line(width: Self.terminalWidth()))\u{1B}[K")
        } else if line(width: nil) != lastText {
            print(line(width: nil))
        }
        fflush(nil)
    }

    static func terminalWidth() -> Int { ProgressLine.terminalWidth() }

    /// Prints `message` on a line of its own above the live line (redrawn at its usual pace).
    func note(_ message: String) {
        guard !quiet else { return }
        lock.lock(); defer { lock.unlock() }
        render(message: message, force: false)
    }
}
