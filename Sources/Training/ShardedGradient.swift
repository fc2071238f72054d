import Foundation

/// The gradient of one minibatch computed as the sum of its shards' gradients, each shard on
/// its own replica of the networks and, with several threads, in parallel. The shard
/// gradients are added in shard order, so the result never depends on the schedule.
final class ShardedGradient {
    /// What one shard contributes: its gradient, already weighted by its share of the
    /// minibatch, and its share of the loss's metrics.
    struct Outcome {
        var gradient: [Float] = []
        var metrics = LossMetrics()
    }

    /// The loss of one shard on a replica: `(networks, shard, minibatch size, gradient buffer
    /// to reuse)`; it leaves the gradient in the networks and returns the outcome.
    typealias ShardLoss = (inout PolicyNetworks, MinibatchShard, Int, [Float]) -> Outcome

    /// Threads computing shards; 1 runs them in turn on the calling thread.
    var threads: Int
    /// The minibatch gradient (the sum of the shards'), reused across minibatches.
    var gradient: [Float] = []
    /// Network copies, one per shard.
    private var replicas: [Replica] = []

    init(threads: Int) { self.threads = threads }

    /// A copy of the networks that one shard worker owns.
    private final class Replica: @unchecked Sendable {
        var networks: PolicyNetworks
        var outcome = Outcome()
        init(networks: PolicyNetworks) { self.networks = networks }
    }

    /// Computes every shard's loss at `parameters` and leaves their summed gradient in
    /// `gradient`; returns the shards' metrics added together (in shard order).
    func compute(_ shards: [MinibatchShard], parameters: [Float], networks: PolicyNetworks, loss: @escaping ShardLoss) -> LossMetrics {
        while replicas.count < shards.count { replicas.append(Replica(networks: networks)) }
        let minibatchSize = shards.reduce(0) { $0 + $1.oldLogProbs.count }
        let replicas = self.replicas
        let work = { (s: Int) in
            let replica = replicas[s]
            parameters.withUnsafeBufferPointer { replica.networks.setFlatParameters($0) }
            var buffer: [Float] = []
            swap(&buffer, &replica.outcome.gradient) // unique again, so it is refilled in place
            replica.outcome = loss(&replica.networks, shards[s], minibatchSize, buffer)
        }
        if shards.count == 1 || threads <= 1 {
            for s in shards.indices { work(s) }
        } else {
            nonisolated(unsafe) let run = work
            DispatchQueue.concurrentPerform(iterations: shards.count) { run($0) }
        }
        let outcomes = replicas.prefix(shards.count).map(\.outcome)
        sum(outcomes)
        return outcomes.reduce(into: LossMetrics()) { $0.add($1.metrics) }
    }

    /// `gradient = outcomes[0].gradient + outcomes[1].gradient + ...`, added in that order.
    private func sum(_ outcomes: [Outcome]) {
        let count = outcomes[0].gradient.count
        if gradient.count != count { gradient = [Float](repeating: 0, count: count) }
        gradient.withUnsafeMutableBufferPointer { sum in
            outcomes[0].gradient.withUnsafeBufferPointer { sum.baseAddress!.update(from: $0.baseAddress!, count: count) }
            for outcome in outcomes.dropFirst() {
                outcome.gradient.withUnsafeBufferPointer { g in
                    for k in 0..<count { sum[k] += g[k] }
                }
            }
        }
    }
}
