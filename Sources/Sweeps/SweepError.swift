/// Errors of sweep files and sweep runs; each names the file (and key) it is about.
public enum SweepError: Error, CustomStringConvertible, Equatable {
    /// A sweep file that cannot be used: `key` is the offending key (`seeds`,
    /// `drifts.lpo`, `settings.learningRate`, ...), nil for the whole file.
    case invalidFile(path: String, key: String?, reason: String)
    /// A run file in the sweep's folder that holds another run than the sweep would make.
    case differentRun(path: String, reason: String)
    /// A run file of the sweep's run whose drift file has changed since it was trained.
    case driftChanged(path: String, reason: String)
    /// Runs that failed; the sweep went on with the others.
    case runsFailed(count: Int, of: Int, first: String)
    /// The ranks of an MPI sweep did not follow the protocol.
    case mpi(String)

    public var description: String {
        switch self {
        case .invalidFile(let path, let key?, let reason): return "'\(path)': \(key): \(reason)"
        case .invalidFile(let path, nil, let reason): return "'\(path)': \(reason)"
        case .differentRun(let path, let reason): return "'\(path)' holds a different run (\(reason)); use another out-dir"
        case .driftChanged(let path, let reason): return "'\(path)': \(reason); move the run away to retrain it, or if the drift it was trained with is kept under another name, point it there with driftlab runs repoint"
        case .runsFailed(let count, let total, let first): return "\(count) of \(total) runs failed; first: \(first)"
        case .mpi(let message): return "MPI sweep: \(message)"
        }
    }
}
