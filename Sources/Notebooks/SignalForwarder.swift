import Dispatch
import Foundation

/// Passes Ctrl-C (SIGINT), SIGTERM and SIGHUP on to the command a notebook is running.
///
/// Foundation starts each child in its own process group, so the terminal's Ctrl-C reaches only
/// `driftlab notebook run`; without this the child would keep running after its parent died, and
/// the parent's capture files would stay in the temporary folder. Once installed, these signals
/// no longer kill this process: they are recorded, sent to the running child, and the runner
/// stops after the child has exited and its files are removed.
final class SignalForwarder: @unchecked Sendable {
    static let shared = SignalForwarder()

    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var child: pid_t?
    private var received: Int32?

    private init() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [unowned self] in self.deliver(sig) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    var signalReceived: Int32? { lock.lock(); defer { lock.unlock() }; return received }

    /// Marks `pid` as the running child; a signal that arrived before it started is sent at once.
    func started(_ pid: pid_t) {
        lock.lock()
        child = pid
        let pending = received
        lock.unlock()
        if let pending { kill(pid, pending) }
    }

    /// Marks that no child is running.
    func finished() {
        lock.lock()
        child = nil
        lock.unlock()
    }

    private func deliver(_ sig: Int32) {
        lock.lock()
        if received == nil { received = sig }
        let pid = child
        lock.unlock()
        if let pid { kill(pid, sig) }
    }
}
