import Foundation

extension MetaTrainingRun {
    /// The whole life of an MPI rank other than 0 in `driftlab meta-train` under mpirun:
    /// receive the run's description from rank 0, evaluate this rank's members every
    /// generation (``serveAsWorker()``) until rank 0 says stop, then finalise MPI. The rank
    /// writes no file: rank 0 owns the output.
    public static func serveMPIRank(_ communicator: MPICommunicator, workers: Int) throws {
        let received = try communicator.broadcast(Data())
        let description = try JSONDecoder().decode(MetaTrainingDescription.self, from: received)
        let worker = try MetaTrainingRun(description: description, url: URL(fileURLWithPath: "/dev/null"),
                                         provenance: [:], workers: workers)
        worker.communicator = communicator
        try worker.serveAsWorker()
        try communicator.finalize()
    }

    /// Rank 0's half of the protocol: sends this run's description to the other ranks (which
    /// wait in ``serveMPIRank(_:workers:)``) and shares each generation's members with them
    /// from then on.
    public func coordinate(_ communicator: MPICommunicator) throws {
        _ = try communicator.broadcast(try JSONEncoder().encode(description))
        self.communicator = communicator
    }
}
