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

    /// Gathers shard `s` of a minibatch from the rollout (on the thread that computes it).
    typealias ShardGather = (Int) -> MinibatchShard

    /// Computes the loss of each of `shards` shards of a `minibatchSize`-sample minibatch at
    /// `parameters`, each gathered by `gather` on the thread that computes it, and leaves their
    /// summed gradient in `gradient`; returns the shards' metrics added together (in shard order).
    func compute(shards: Int, minibatchSize: Int, gather: @escaping ShardGather, parameters: [Float],
                 networks: PolicyNetworks, loss: @escaping ShardLoss) -> LossMetrics {
        while replicas.count < shards { replicas.append(Replica(networks: networks)) }
        let replicas = self.replicas
        let work = { (s: Int) in
            let replica = replicas[s]
            let shard = gather(s)
            parameters.withUnsafeBufferPointer { replica.networks.setFlatParameters($0) }
            var buffer: [Float] = []
            swap(&buffer, &replica.outcome.gradient) // unique again, so it is refilled in place
            replica.outcome = loss(&replica.networks, shard, minibatchSize, buffer)
        }
        if shards == 1 || threads <= 1 {
            for s in 0..<shards { work(s) }
        } else {
            nonisolated(unsafe) let run = work
            DispatchQueue.concurrentPerform(iterations: shards) { run($0) }
        }
        let outcomes = replicas.prefix(shards).map(\.outcome)
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
