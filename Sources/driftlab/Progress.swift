import Dispatch
import Foundation
import Training

/// Progress of a training run: a live line redrawn in place on a terminal, fitted to the
/// terminal's width; plain periodic lines when the output is a file or pipe.
///
/// A line is a list of fields, each with a priority: when the terminal is too narrow the
/// least important go first (steps/s, steps, the bar, elapsed, update), so that even 40
/// columns keep the percentage, the ETA and the return. No line is ever wider than the
/// terminal, because a wrapped line would start a new line at every redraw.
final class ProgressLine {
    private let total: Int
    private let quiet: Bool
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var firstUpdate: Int?
    private var recentReturn = Double.nan
    private var evalReturn = Double.nan
    private var dropped: Set<Int> = []

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    /// One field of the line; a lower `priority` number is kept longer.
    struct Field {
        let text: String
        let priority: Int
    }

    func show(_ m: UpdateMetrics) {
        guard !quiet else { return }
        if firstUpdate == nil { firstUpdate = m.update - 1 }
        if !m.episodeReturn.isNaN { recentReturn = m.episodeReturn }
        if !m.evalReturn.isNaN { evalReturn = m.evalReturn }
        let now = Date()
        let interval: TimeInterval = isTerminal ? 0.2 : 10
        guard now.timeIntervalSince(lastPrint) >= interval || m.update == total else { return }
        lastPrint = now
        let done = m.update - (firstUpdate ?? 0)
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - m.update) / rate : .infinity
        let fraction = Double(m.update) / Double(max(total, 1))
        var fields = [
            Field(text: String(format: "%5.1f%%", 100 * fraction), priority: 0),
            Field(text: "update \(m.update)/\(total)", priority: 4),
            Field(text: String(format: "steps %.3g", Double(m.envSteps)), priority: 7),
            Field(text: String(format: "return %.2f", recentReturn), priority: 2),
        ]
        if !evalReturn.isNaN { fields.append(Field(text: String(format: "eval %.2f", evalReturn), priority: 3)) }
        fields += [
            Field(text: String(format: "%.0f steps/s", m.stepsPerSecond), priority: 8),
            Field(text: "elapsed \(Self.duration(elapsed))", priority: 5),
            Field(text: "ETA \(Self.duration(eta))", priority: 1),
        ]
        if isTerminal {
            // One column short of the width: a line that fills the last column wraps on some terminals.
            fields.insert(Field(text: Self.bar(fraction), priority: 6), at: 0)
            print("\r\(Self.fit(fields, width: Self.terminalWidth() - 1, dropped: &dropped))\u{1B}[K", terminator: "")
            fflush(nil) // flush every stream: Swift 6 will not touch the global `stdout`
        } else {
            print(fields.map(\.text).joined(separator: " "))
            fflush(nil) // a pipe or file is block-buffered: make each line visible as it happens
        }
    }

    /// The fields joined by spaces, dropping the least important ones until the line fits
    /// `width` characters (and cutting the last one left if even that does not fit). `dropped`
    /// holds the priorities dropped so far: they stay dropped, so that fields do not flicker
    /// in and out as the numbers grow and shrink.
    static func fit(_ fields: [Field], width: Int, dropped: inout Set<Int>) -> String {
        var kept = fields.filter { !dropped.contains($0.priority) }
        func joined() -> String { kept.map(\.text).joined(separator: " ") }
        while joined().count > width, kept.count > 1,
              let worst = kept.indices.max(by: { kept[$0].priority < kept[$1].priority }) {
            dropped.insert(kept[worst].priority)
            kept.remove(at: worst)
        }
        return String(joined().prefix(max(width, 0)))
    }

    func finish() {
        if isTerminal && !quiet { print("") }
    }

    /// The columns of the terminal on stdout (`COLUMNS`, else 80, when it is not a terminal).
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
    }

    /// A ten-cell bar, `[####......]`, for a fraction done.
    static func bar(_ fraction: Double) -> String {
        let cells = 10, filled = max(0, min(cells, Int(fraction * Double(cells))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "]"
    }

    /// `42s`, `3m05s` or `2h05m`: short, so that narrow terminals keep it.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
            : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

/// The command line this process was started with, quoted where needed, for "continue
/// with ..." hints after an interruption.
func commandLineText() -> String {
    CommandLine.arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
}

/// Ctrl-C (SIGINT) and SIGTERM ask long work to stop at the next safe point (after the
/// current update, with a checkpoint) instead of killing the process.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [DispatchSourceSignal] = []

    var requested: Bool { lock.lock(); defer { lock.unlock() }; return flag }

    static func install() -> StopSignal {
        let stop = StopSignal()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [stop] in
                stop.lock.lock()
                let second = stop.flag
                stop.flag = true
                stop.lock.unlock()
                // A second Ctrl-C means: stop now.
                if second { exit(130) }
                FileHandle.standardError.write(Data("\nstopping after this update (Ctrl-C again to abort)...\n".utf8))
            }
            source.resume()
            stop.sources.append(source)
        }
        return stop
    }
}

/// Progress of a fixed number of equal tasks finished on any thread: a line redrawn in place
/// on a terminal (bar, count, rate, ETA, cut to the width), a plain line every 30 s otherwise;
/// on stdout, or on stderr when stdout carries a result.
final class CountProgress: @unchecked Sendable {
    private let total: Int, unit: String, quiet: Bool, toStandardError: Bool
    private let isTerminal: Bool
    private let start = Date()
    private let lock = NSLock()
    private var done = 0
    private var lastPrint = Date.distantPast
    private var dropped: Set<Int> = []

    init(total: Int, unit: String, quiet: Bool, toStandardError: Bool = false) {
        self.total = total
        self.unit = unit
        self.quiet = quiet
        self.toStandardError = toStandardError
        isTerminal = isatty(toStandardError ? STDERR_FILENO : STDOUT_FILENO) != 0
    }

    private func write(_ text: String) {
        if toStandardError { FileHandle.standardError.write(Data(text.utf8)) } else { print(text, terminator: ""); fflush(nil) }
    }

    func advance() {
        lock.lock(); defer { lock.unlock() }
        done += 1
        guard !quiet else { return }
        let now = Date()
        guard now.timeIntervalSince(lastPrint) >= (isTerminal ? 0.2 : 30) || done == total else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(start), fraction = Double(done) / Double(max(total, 1))
        let rate = Double(done) / max(elapsed, 1e-9)
        var fields = [ProgressLine.Field(text: String(format: "%5.1f%%", 100 * fraction), priority: 0),
                      ProgressLine.Field(text: "\(unit) \(done)/\(total)", priority: 2),
                      ProgressLine.Field(text: String(format: "%.2f/min", rate * 60), priority: 4),
                      ProgressLine.Field(text: "elapsed \(ProgressLine.duration(elapsed))", priority: 3),
                      ProgressLine.Field(text: "ETA \(ProgressLine.duration(Double(total - done) / rate))", priority: 1)]
        if isTerminal {
            fields.insert(ProgressLine.Field(text: ProgressLine.bar(fraction), priority: 5), at: 0)
            write("\r\(ProgressLine.fit(fields, width: ProgressLine.terminalWidth() - 1, dropped: &dropped))\u{1B}[K")
        } else {
            write(fields.map(\.text).joined(separator: " ") + "\n")
        }
    }

    func finish() {
        if isTerminal && !quiet { write("\n") }
    }
}
