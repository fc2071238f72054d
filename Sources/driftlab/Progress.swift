import Dispatch
import Foundation
import Training

/// Progress of a training run: a live line redrawn in place on a terminal (update, steps,
/// return, steps per second, ETA), plain periodic lines when the output is a file or pipe.
final class ProgressLine {
    private let total: Int
    private let quiet: Bool
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = Date()
    private var lastPrint = Date.distantPast
    private var firstUpdate: Int?
    private var recentReturn = Double.nan

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func show(_ m: UpdateMetrics) {
        guard !quiet else { return }
        if firstUpdate == nil { firstUpdate = m.update - 1 }
        if !m.episodeReturn.isNaN { recentReturn = m.episodeReturn }
        let now = Date()
        let interval: TimeInterval = isTerminal ? 0.2 : 10
        guard now.timeIntervalSince(lastPrint) >= interval || m.update == total else { return }
        lastPrint = now
        let done = m.update - (firstUpdate ?? 0)
        let elapsed = now.timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-9)
        let eta = rate > 0 ? Double(total - m.update) / rate : .infinity
        let fraction = Double(m.update) / Double(max(total, 1))
        let text = String(format: "%5.1f%% update %d/%d  steps %.3g  return %.2f  %.0f steps/s  ETA %@",
                          100 * fraction, m.update, total, Double(m.envSteps), recentReturn, m.stepsPerSecond,
                          Self.duration(eta))
        if isTerminal {
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            print("\r[\(bar)] \(text)\u{1B}[K", terminator: "")
            fflush(nil) // flush every stream: Swift 6 will not touch the global `stdout`
        } else {
            print(text)
            fflush(nil) // a pipe or file is block-buffered: make each line visible as it happens
        }
    }

    func finish() {
        if isTerminal && !quiet { print("") }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
            : String(format: "%dm%02ds", s / 60, s % 60)
    }
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
