import Foundation
import Tensors

/// `N` environments of type `E` stepped together: the concrete `EnvironmentBatch`.
///
/// Environment i draws only from its own stream `RandomStream(seed, StreamID.make(purpose, i))`,
/// so the environments are independent, a seed reproduces everything, and splitting the
/// batch across cores (contiguous chunks through `DispatchQueue.concurrentPerform`) gives
/// exactly the results of serial stepping. All state lives in buffers allocated once;
/// a step allocates nothing (unless an episode-statistics array grows) and calls `E`'s
/// methods directly, specialised, with no existential dispatch.
public final class VectorEnvironment<E: Environment>: EnvironmentBatch where E.Action: BatchedAction {
    public let name: String
    public let count: Int
    public let observationShape: [Int]
    public let observationSize: Int
    public let actionSpace: ActionSpace
    public let maxEpisodeSteps: Int?
    public var parallelism: Int
    /// Smallest number of environments worth one parallel task (smaller batches run serially).
    public var minimumEnvironmentsPerTask: Int
    public private(set) var totalSteps = 0

    let environments: UnsafeMutablePointer<E>
    let streams: UnsafeMutablePointer<RandomStream>
    let episodeReturns: UnsafeMutablePointer<Double>
    let episodeLengths: UnsafeMutablePointer<Int>
    let endedReturns: UnsafeMutablePointer<Double>
    let rewardBuffer: UnsafeMutablePointer<Float>
    let terminatedBuffer: UnsafeMutablePointer<Bool>
    let truncatedBuffer: UnsafeMutablePointer<Bool>
    let observationBuffer: UnsafeMutablePointer<Float>
    let finalObservationBuffer: UnsafeMutablePointer<Float>
    var finishedEpisodes: [EpisodeStatistics] = []
    /// `advance` for this `E`, created in the initialiser so that it is compiled specialised
    /// for the concrete environment even when the batch is used through `any EnvironmentBatch`
    /// (whose witnesses are generic code).
    let kernel: @Sendable (Rows, Range<Int>, ActionPointers) -> Void

    /// Builds `count` environments with `make(i)` and resets them all.
    ///
    /// - Parameters:
    ///   - name: the task's lower-case name.
    ///   - seed: the run seed; environment i uses stream `StreamID.make(streamPurpose, i)`.
    ///   - maxEpisodeSteps: episodes reaching this many steps are truncated; `nil` for none.
    ///   - parallelism: worker tasks per step (default: every active core).
    public init(name: String, count: Int, seed: UInt64, maxEpisodeSteps: Int?,
                streamPurpose: StreamID.Purpose = .environment,
                parallelism: Int = ProcessInfo.processInfo.activeProcessorCount,
                minimumEnvironmentsPerTask: Int = 64,
                make: (Int) throws -> E) throws {
        guard count >= 1 else {
            throw EnvironmentError.invalidOption(option: "environment count", value: "\(count)", reason: "must be at least 1")
        }
        if let limit = maxEpisodeSteps, limit < 1 {
            throw EnvironmentError.invalidOption(option: "maxEpisodeSteps", value: "\(limit)", reason: "must be at least 1")
        }
        let built = try (0..<count).map(make)
        self.name = name
        self.count = count
        self.observationShape = built[0].observationShape
        self.observationSize = built[0].observationSize
        self.actionSpace = built[0].actionSpace
        self.maxEpisodeSteps = maxEpisodeSteps
        self.parallelism = max(1, parallelism)
        self.minimumEnvironmentsPerTask = max(1, minimumEnvironmentsPerTask)
        environments = .allocate(capacity: count)
        environments.initialize(from: built, count: count)
        streams = .allocate(capacity: count)
        for i in 0..<count {
            (streams + i).initialize(to: RandomStream(seed: seed, stream: StreamID.make(streamPurpose, i)))
        }
        episodeReturns = .allocate(capacity: count)
        episodeLengths = .allocate(capacity: count)
        endedReturns = .allocate(capacity: count)
        rewardBuffer = .allocate(capacity: count)
        terminatedBuffer = .allocate(capacity: count)
        truncatedBuffer = .allocate(capacity: count)
        observationBuffer = .allocate(capacity: count * observationSize)
        finalObservationBuffer = .allocate(capacity: count * observationSize)
        endedReturns.initialize(repeating: 0, count: count)
        finalObservationBuffer.initialize(repeating: 0, count: count * observationSize)
        episodeReturns.initialize(repeating: 0, count: count)
        episodeLengths.initialize(repeating: 0, count: count)
        rewardBuffer.initialize(repeating: 0, count: count)
        terminatedBuffer.initialize(repeating: false, count: count)
        truncatedBuffer.initialize(repeating: false, count: count)
        observationBuffer.initialize(repeating: 0, count: count * observationSize)
        finishedEpisodes.reserveCapacity(count)
        kernel = { rows, range, batch in VectorEnvironment<E>.advance(rows, range, batch) }
        reset()
    }

    deinit {
        environments.deinitialize(count: count)
        environments.deallocate()
        streams.deinitialize(count: count)
        streams.deallocate()
        for buffer in [episodeReturns, endedReturns] as [UnsafeMutablePointer<Double>] { buffer.deallocate() }
        episodeLengths.deallocate()
        rewardBuffer.deallocate()
        terminatedBuffer.deallocate()
        truncatedBuffer.deallocate()
        observationBuffer.deallocate()
        finalObservationBuffer.deallocate()
    }

    public var observations: UnsafeBufferPointer<Float> { .init(start: observationBuffer, count: count * observationSize) }
    public var rewards: UnsafeBufferPointer<Float> { .init(start: rewardBuffer, count: count) }
    public var terminated: UnsafeBufferPointer<Bool> { .init(start: terminatedBuffer, count: count) }
    public var truncated: UnsafeBufferPointer<Bool> { .init(start: truncatedBuffer, count: count) }
    public var finalObservations: UnsafeBufferPointer<Float> {
        .init(start: finalObservationBuffer, count: count * observationSize)
    }

    /// A copy of environment `index`'s state.
    public func environment(_ index: Int) -> E {
        precondition(index >= 0 && index < count, "environment index \(index) outside 0..<\(count)")
        return environments[index]
    }

    /// A copy of environment `index`'s random stream.
    public func stream(_ index: Int) -> RandomStream {
        precondition(index >= 0 && index < count, "environment index \(index) outside 0..<\(count)")
        return streams[index]
    }

    public func reset() {
        for i in 0..<count {
            environments[i].reset(rng: &streams[i])
            environments[i].writeObservation(
                into: UnsafeMutableBufferPointer(start: observationBuffer + i * observationSize, count: observationSize))
        }
        episodeReturns.update(repeating: 0, count: count)
        episodeLengths.update(repeating: 0, count: count)
        rewardBuffer.update(repeating: 0, count: count)
        terminatedBuffer.update(repeating: false, count: count)
        truncatedBuffer.update(repeating: false, count: count)
    }

    public func drainEpisodes() -> [EpisodeStatistics] {
        let drained = finishedEpisodes
        finishedEpisodes.removeAll(keepingCapacity: true)
        return drained
    }

    // MARK: Stepping

    /// The buffers a worker touches; each worker writes only its own rows.
    struct Rows: @unchecked Sendable {
        let environments: UnsafeMutablePointer<E>
        let streams: UnsafeMutablePointer<RandomStream>
        let episodeReturns: UnsafeMutablePointer<Double>
        let episodeLengths: UnsafeMutablePointer<Int>
        let endedReturns: UnsafeMutablePointer<Double>
        let rewards: UnsafeMutablePointer<Float>
        let terminated: UnsafeMutablePointer<Bool>
        let truncated: UnsafeMutablePointer<Bool>
        let observations: UnsafeMutablePointer<Float>
        let finalObservations: UnsafeMutablePointer<Float>
        let observationSize: Int
        let limit: Int
    }

    var rows: Rows {
        Rows(environments: environments, streams: streams, episodeReturns: episodeReturns,
             episodeLengths: episodeLengths, endedReturns: endedReturns, rewards: rewardBuffer,
             terminated: terminatedBuffer, truncated: truncatedBuffer, observations: observationBuffer,
             finalObservations: finalObservationBuffer, observationSize: observationSize,
             limit: maxEpisodeSteps ?? Int.max)
    }

    /// Steps environments `range` with their actions from `batch`; auto-resets those whose
    /// episode ended.
    @inline(__always)
    static func advance(_ rows: Rows, _ range: Range<Int>, _ batch: ActionPointers) {
        let size = rows.observationSize
        for i in range {
            let (reward, ended) = rows.environments[i].step(E.Action.element(of: batch, at: i), rng: &rows.streams[i])
            let length = rows.episodeLengths[i] + 1
            let episodeReturn = rows.episodeReturns[i] + Double(reward)
            let cut = !ended && length >= rows.limit
            rows.rewards[i] = reward
            rows.terminated[i] = ended
            rows.truncated[i] = cut
            let row = UnsafeMutableBufferPointer(start: rows.observations + i * size, count: size)
            if ended || cut {
                rows.environments[i].writeObservation(
                    into: UnsafeMutableBufferPointer(start: rows.finalObservations + i * size, count: size))
                rows.endedReturns[i] = episodeReturn
                rows.episodeLengths[i] = length
                rows.environments[i].reset(rng: &rows.streams[i])
                rows.episodeReturns[i] = 0
            } else {
                rows.episodeLengths[i] = length
                rows.episodeReturns[i] = episodeReturn
            }
            rows.environments[i].writeObservation(into: row)
        }
    }

    /// Runs `kernel` over all environments, in parallel chunks when the batch is large enough,
    /// then records finished episodes in environment order.
    func stepAll(_ batch: ActionPointers) {
        let tasks = max(1, min(parallelism, count / minimumEnvironmentsPerTask))
        let rows = self.rows
        let count = self.count
        let kernel = self.kernel
        if tasks == 1 {
            kernel(rows, 0..<count, batch)
        } else {
            DispatchQueue.concurrentPerform(iterations: tasks) { task in
                kernel(rows, (task * count / tasks)..<((task + 1) * count / tasks), batch)
            }
        }
        for i in 0..<count where terminatedBuffer[i] || truncatedBuffer[i] {
            finishedEpisodes.append(EpisodeStatistics(environment: i, episodeReturn: endedReturns[i],
                                                      length: episodeLengths[i], truncated: truncatedBuffer[i]))
            episodeLengths[i] = 0
        }
        totalSteps += count
    }

    // MARK: Snapshots

    /// The whole state of the batch, `Codable`, for bit-identical resume.
    /// The last step's `finalObservations` are not part of it (they are only meaningful right
    /// after the step that produced them).
    public struct Snapshot: Codable {
        /// Task name, checked on restore.
        public var name: String
        /// Full Swift type name of `E`, checked on restore.
        public var environmentType: String
        /// Step limit, checked on restore.
        public var maxEpisodeSteps: Int?
        /// Environment steps taken so far.
        public var totalSteps: Int
        /// Every environment's state, `[N]`.
        public var environments: [E]
        /// Every environment's random stream, `[N]`.
        public var streams: [RandomStream]
        /// Return so far of each running episode, `[N]`.
        public var episodeReturns: [Double]
        /// Steps so far of each running episode, `[N]`.
        public var episodeLengths: [Int]
        /// Finished episodes not yet drained.
        public var pendingEpisodes: [EpisodeStatistics]
    }

    /// The current state as a value.
    public func snapshot() -> Snapshot {
        Snapshot(name: name, environmentType: String(reflecting: E.self), maxEpisodeSteps: maxEpisodeSteps,
                 totalSteps: totalSteps,
                 environments: Array(UnsafeBufferPointer(start: environments, count: count)),
                 streams: Array(UnsafeBufferPointer(start: streams, count: count)),
                 episodeReturns: Array(UnsafeBufferPointer(start: episodeReturns, count: count)),
                 episodeLengths: Array(UnsafeBufferPointer(start: episodeLengths, count: count)),
                 pendingEpisodes: finishedEpisodes)
    }

    /// Replaces the state with `snapshot` (same task, type, count and step limit) and
    /// recomputes the observations; the last step's rewards and flags are cleared.
    public func restore(_ snapshot: Snapshot) throws {
        let type = String(reflecting: E.self)
        guard snapshot.name == name, snapshot.environmentType == type else {
            throw EnvironmentError.snapshotMismatch(
                "snapshot is of '\(snapshot.name)' (\(snapshot.environmentType)), this is '\(name)' (\(type))")
        }
        guard snapshot.maxEpisodeSteps == maxEpisodeSteps else {
            throw EnvironmentError.snapshotMismatch(
                "snapshot has step limit \(snapshot.maxEpisodeSteps.map(String.init) ?? "none"), "
                + "this has \(maxEpisodeSteps.map(String.init) ?? "none")")
        }
        // Options live inside each saved environment (MinAtar's action set, say): a snapshot
        // taken under other options would silently change what the actions mean.
        for saved in snapshot.environments where saved.actionSpace != actionSpace || saved.observationShape != observationShape {
            throw EnvironmentError.snapshotMismatch(
                "snapshot's environments have action space \(saved.actionSpace) and observation shape \(saved.observationShape), "
                + "this batch has \(actionSpace) and \(observationShape)")
        }
        for (field, n) in [("environments", snapshot.environments.count), ("streams", snapshot.streams.count),
                           ("episodeReturns", snapshot.episodeReturns.count),
                           ("episodeLengths", snapshot.episodeLengths.count)] where n != count {
            throw EnvironmentError.snapshotMismatch("snapshot has \(n) \(field), this batch has \(count) environments")
        }
        for i in 0..<count {
            environments[i] = snapshot.environments[i]
            streams[i] = snapshot.streams[i]
            episodeReturns[i] = snapshot.episodeReturns[i]
            episodeLengths[i] = snapshot.episodeLengths[i]
            environments[i].writeObservation(
                into: UnsafeMutableBufferPointer(start: observationBuffer + i * observationSize, count: observationSize))
        }
        totalSteps = snapshot.totalSteps
        finishedEpisodes = snapshot.pendingEpisodes
        rewardBuffer.update(repeating: 0, count: count)
        terminatedBuffer.update(repeating: false, count: count)
        truncatedBuffer.update(repeating: false, count: count)
    }

    public func encodedSnapshot() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(snapshot())
    }

    public func restore(encodedSnapshot data: Data) throws {
        let decoded: Snapshot
        do {
            decoded = try JSONDecoder().decode(Snapshot.self, from: data)
        } catch {
            throw EnvironmentError.snapshotMismatch("snapshot of '\(name)' does not decode: \(error)")
        }
        try restore(decoded)
    }
}

extension VectorEnvironment {
    public func step(_ actions: ActionBatch) {
        switch (actions, actionSpace) {
        case (.discrete(let values), .discrete):
            precondition(values.count == count, "got \(values.count) actions for \(count) environments")
            values.withUnsafeBufferPointer { stepAll(ActionPointers(integers: $0.baseAddress, floats: nil, dimension: 1)) }
        case (.continuous(let values), .continuous(let dim, _, _)):
            precondition(values.count == count * dim, "got \(values.count) action values for \(count) x \(dim)")
            values.withUnsafeBufferPointer { stepAll(ActionPointers(integers: nil, floats: $0.baseAddress, dimension: dim)) }
        default:
            preconditionFailure("\(name): actions of the wrong kind for the action space \(actionSpace)")
        }
    }
}

extension VectorEnvironment: DiscreteEnvironmentBatch where E.Action == Int {
    public func step(actions: UnsafeBufferPointer<Int32>) {
        precondition(actions.count == count, "got \(actions.count) actions for \(count) environments")
        stepAll(ActionPointers(integers: actions.baseAddress, floats: nil, dimension: 1))
    }
}

extension VectorEnvironment: ContinuousEnvironmentBatch where E.Action == UnsafeBufferPointer<Float> {
    public func step(actions: UnsafeBufferPointer<Float>) {
        guard case let .continuous(dim, _, _) = actionSpace else {
            preconditionFailure("continuous actions for a discrete action space")
        }
        precondition(actions.count == count * dim, "got \(actions.count) action values for \(count) x \(dim)")
        stepAll(ActionPointers(integers: nil, floats: actions.baseAddress, dimension: dim))
    }
}

extension VectorEnvironment: GridEnvironmentBatch where E: GridEnvironment {
    public var channelNames: [String] { E.channelNames }
    public var maximumActiveCells: Int { environments[0].maximumActiveCells }

    public func writeSparseObservations(indices: UnsafeMutableBufferPointer<Int32>,
                                        rowOffsets: UnsafeMutableBufferPointer<Int32>) -> Int {
        precondition(rowOffsets.count >= count + 1, "rowOffsets has \(rowOffsets.count) entries, needs \(count + 1)")
        var total = 0
        for i in 0..<count {
            rowOffsets[i] = Int32(total)
            total += environments[i].writeActiveIndices(into: UnsafeMutableBufferPointer(rebasing: indices[total...]))
        }
        rowOffsets[count] = Int32(total)
        return total
    }

    public func frame(of index: Int) -> [[[Int]]] {
        environment(index).frame()
    }
}
