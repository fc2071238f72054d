import CMPI
import Foundation

/// The processes of an `mpirun` job (Open MPI), with the few collectives meta-training
/// needs. Rank 0 owns the ES state and the files; every rank evaluates its share of the
/// population. Every MPI status goes through `check`, which throws with the call's name and
/// MPI's own message.
public final class MPICommunicator {
    public let rank: Int
    public let size: Int

    /// Whether this process was started by `mpirun` (Open MPI sets these variables), so that
    /// a plain `driftlab` never initialises MPI.
    public static var isLaunchedByMPI: Bool {
        ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] != nil
            || ProcessInfo.processInfo.environment["PMIX_RANK"] != nil
    }

    /// Initialises MPI (once per process).
    public init() throws {
        var initialised: Int32 = 0
        try Self.check(MPI_Initialized(&initialised), "MPI_Initialized")
        if initialised == 0 {
            try Self.check(MPI_Init(nil, nil), "MPI_Init")
        }
        var r: Int32 = 0, s: Int32 = 0
        try Self.check(MPI_Comm_rank(driftlab_mpi_comm_world(), &r), "MPI_Comm_rank")
        try Self.check(MPI_Comm_size(driftlab_mpi_comm_world(), &s), "MPI_Comm_size")
        rank = Int(r)
        size = Int(s)
    }

    /// Ends MPI for this process; call once, at the end, on every rank.
    public func finalize() throws {
        try Self.check(MPI_Finalize(), "MPI_Finalize")
    }

    /// Broadcasts rank 0's bytes to every rank (other ranks pass anything; they receive).
    public func broadcast(_ data: Data) throws -> Data {
        var length = Int64(data.count)
        try Self.check(MPI_Bcast(&length, 1, driftlab_mpi_long_long(), 0, driftlab_mpi_comm_world()), "MPI_Bcast (length)")
        var bytes = rank == 0 ? [UInt8](data) : [UInt8](repeating: 0, count: Int(length))
        if length > 0 {
            try Self.check(MPI_Bcast(&bytes, Int32(length), driftlab_mpi_byte(), 0, driftlab_mpi_comm_world()), "MPI_Bcast")
        }
        return Data(bytes)
    }

    /// Element-wise sum of every rank's `values`, delivered to every rank.
    public func sum(_ values: [Double]) throws -> [Double] {
        var input = values
        var output = [Double](repeating: 0, count: values.count)
        try Self.check(MPI_Allreduce(&input, &output, Int32(values.count), driftlab_mpi_double(), driftlab_mpi_sum(),
                                     driftlab_mpi_comm_world()), "MPI_Allreduce")
        return output
    }

    static func check(_ status: Int32, _ call: String) throws {
        guard status != driftlab_mpi_success() else { return }
        var buffer = [CChar](repeating: 0, count: Int(driftlab_mpi_max_error_string()) + 1)
        var length: Int32 = 0
        MPI_Error_string(status, &buffer, &length)
        let text = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw ESError.invalidState("\(call) failed: \(text)")
    }
}
