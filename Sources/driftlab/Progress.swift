import Dispatch
import Foundation
import Training

/// Progress of a training run: a live line redrawn in place on a terminal, fitted to the
/// terminal's width; plain periodic lines when the output is a file or pipe.
///
/// A line is a list of fields, each with a priority: when the terminal is too narrow the
/// least important go first (steps/s, steps, elapsed, update), so that even 40 columns keep
/// the percentage, the ETA and the return; a bar fills what room is left. No line is ever wider than the
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
            Field(text: String(format: "steps %.3g", Double(m.envSteps)), priority: 6),
            Field(text: String(format: "return %.2f", recentReturn), priority: 2),
        ]
        if !evalReturn.isNaN { fields.append(Field(text: String(format: "eval %.2f", evalReturn), priority: 3)) }
        fields += [
            Field(text: String(format: "%.0f steps/s", m.stepsPerSecond), priority: 7),
            Field(text: "elapsed \(Self.duration(elapsed))", priority: 5),
            Field(text: "ETA \(Self.duration(eta))", priority: 1),
        ]
        if isTerminal {
            // One column short of the width: a line that fills the last column wraps on some terminals.
            print("\r\(Self.fit(fields, width: Self.terminalWidth() - 1, bar: fraction))\u{1B}[K", terminator: "")
            fflush(nil) // flush every stream: Swift 6 will not touch the global `stdout`
        } else {
            print(fields.map(\.text).joined(separator: " "))
            fflush(nil) // a pipe or file is block-buffered: make each line visible as it happens
        }
    }

    /// The fields joined by spaces, dropping the least important ones until the line fits
    /// `width` characters (and cutting the last one left if even that does not fit). When
    /// `bar` is given, a progress bar of that fraction takes what room is left in front
    /// (6 to 24 cells), or is left out.
    static func fit(_ fields: [Field], width: Int, bar: Double? = nil) -> String {
        var kept = fields
        func joined() -> String { kept.map(\.text).joined(separator: " ") }
        while joined().count > width, kept.count > 1,
              let worst = kept.indices.max(by: { kept[$0].priority < kept[$1].priority }) {
            kept.remove(at: worst)
        }
        var line = String(joined().prefix(max(width, 0)))
        let cells = min(24, width - line.count - 3)
        if let bar, cells >= 6 {
            let filled = min(cells, max(0, Int(bar * Double(cells))))
            line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "] " + line
        }
        return line
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

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
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
