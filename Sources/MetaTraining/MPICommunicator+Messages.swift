import CMPI
import Foundation

extension MPICommunicator {
    /// A message waiting to be received: who sent it, with which tag, how many bytes.
    public struct Envelope: Sendable, Equatable {
        public let source: Int
        public let tag: Int
        public let count: Int
    }

    /// Sends `data` to `rank` with `tag` (blocking until the buffer may be reused).
    public func send(_ data: Data, to rank: Int, tag: Int) throws {
        var bytes = [UInt8](data)
        try Self.check(MPI_Send(&bytes, Int32(bytes.count), driftlab_mpi_byte(), Int32(rank), Int32(tag),
                                driftlab_mpi_comm_world()), "MPI_Send")
    }

    /// The next message from any rank, if one has arrived (never blocks), so a coordinator
    /// can poll between other work.
    public func poll() throws -> Envelope? {
        var flag: Int32 = 0
        var status = MPI_Status()
        try Self.check(MPI_Iprobe(driftlab_mpi_any_source(), driftlab_mpi_any_tag(), driftlab_mpi_comm_world(), &flag, &status),
                       "MPI_Iprobe")
        guard flag != 0 else { return nil }
        return try envelope(status)
    }

    /// Blocks until a message from `rank` (any rank if nil) arrives; returns its envelope.
    public func wait(from rank: Int? = nil) throws -> Envelope {
        var status = MPI_Status()
        try Self.check(MPI_Probe(rank.map(Int32.init) ?? driftlab_mpi_any_source(), driftlab_mpi_any_tag(),
                                 driftlab_mpi_comm_world(), &status), "MPI_Probe")
        return try envelope(status)
    }

    /// Receives the message `envelope` announced.
    public func receive(_ envelope: Envelope) throws -> Data {
        var bytes = [UInt8](repeating: 0, count: envelope.count)
        var status = MPI_Status()
        try Self.check(MPI_Recv(&bytes, Int32(envelope.count), driftlab_mpi_byte(), Int32(envelope.source), Int32(envelope.tag),
                                driftlab_mpi_comm_world(), &status), "MPI_Recv")
        return Data(bytes)
    }

    private func envelope(_ status: MPI_Status) throws -> Envelope {
        var status = status
        var count: Int32 = 0
        try Self.check(MPI_Get_count(&status, driftlab_mpi_byte(), &count), "MPI_Get_count")
        return Envelope(source: Int(status.MPI_SOURCE), tag: Int(status.MPI_TAG), count: Int(count))
    }
}
