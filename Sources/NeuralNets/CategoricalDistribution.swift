import Foundation
import Tensors

/// A batch of categorical distributions given by unnormalised logits `[batch, categories]`
/// (the discrete-action policy head, e.g. MinAtar's actor).
///
/// Log-probabilities are computed once (a max-shifted log-softmax, accumulated in Double)
/// when the distribution is made. Gradients are with respect to the logits, weighted per
/// row, so a loss `sum_b w_b * logp_b` or `sum_b w_b * H_b` backpropagates in one call.
public struct CategoricalDistribution: Sendable {
    /// The logits `[batch, categories]`.
    public let logits: Matrix
    /// `log softmax(logits)` row by row, `[batch, categories]`.
    public let logProbabilities: Matrix

    /// Number of distributions (rows).
    public var batch: Int { logits.rows }
    /// Number of categories (columns).
    public var categories: Int { logits.cols }

    /// Distributions for `logits: [batch, categories]` (at least one category).
    public init(logits: Matrix) {
        precondition(logits.cols > 0, "a categorical distribution needs at least one category")
        self.logits = logits
        var logp = logits
        let n = logits.cols
        for b in 0..<logits.rows {
            var top = -Float.infinity
            for j in 0..<n { top = max(top, logits[b, j]) }
            var sum = 0.0
            for j in 0..<n { sum += Foundation.exp(Double(logits[b, j] - top)) }
            let logNormaliser = Double(top) + Foundation.log(sum)
            for j in 0..<n { logp[b, j] = Float(Double(logits[b, j]) - logNormaliser) }
        }
        self.logProbabilities = logp
    }

    /// `softmax(logits)`, `[batch, categories]`.
    public var probabilities: Matrix {
        var p = logProbabilities
        for i in p.storage.indices { p.storage[i] = Foundation.exp(p.storage[i]) }
        return p
    }

    /// One sampled category per row, by inverting the cumulative distribution with one
    /// uniform draw per row (so a stream advances by the same amount whatever the logits).
    public func sample(rng: inout RandomStream) -> [Int] {
        let n = categories
        return (0..<batch).map { b in
            let u = rng.uniformDouble()
            var cumulative = 0.0
            for j in 0..<(n - 1) {
                cumulative += Foundation.exp(Double(logProbabilities[b, j]))
                if u < cumulative { return j }
            }
            return n - 1
        }
    }

    /// The most likely category of each row (greedy evaluation).
    public var mode: [Int] {
        (0..<batch).map { b in
            var best = 0
            for j in 1..<categories where logits[b, j] > logits[b, best] { best = j }
            return best
        }
    }

    /// `log p_b(actions[b])` for each row.
    public func logProbability(of actions: [Int]) -> [Float] {
        checkActions(actions)
        return actions.enumerated().map { b, a in logProbabilities[b, a] }
    }

    /// Entropy `-sum_j p_j log p_j` of each row, in nats.
    public func entropy() -> [Float] {
        (0..<batch).map { b in
            var h = 0.0
            for j in 0..<categories {
                let lp = Double(logProbabilities[b, j])
                h -= Foundation.exp(lp) * lp
            }
            return Float(h)
        }
    }

    /// `d/dlogits sum_b weights[b] * log p_b(actions[b])`, `[batch, categories]`:
    /// row b is `weights[b] * (onehot(actions[b]) - softmax(logits_b))`.
    public func logProbabilityGradient(of actions: [Int], weights: [Float]) -> Matrix {
        checkActions(actions)
        precondition(weights.count == batch, "\(weights.count) weights for a batch of \(batch)")
        var g = probabilities
        for b in 0..<batch {
            for j in 0..<categories { g[b, j] *= -weights[b] }
            g[b, actions[b]] += weights[b]
        }
        return g
    }

    /// `d/dlogits sum_b weights[b] * H_b`, `[batch, categories]`:
    /// `dH/dz_j = -p_j (log p_j + H)`.
    public func entropyGradient(weights: [Float]) -> Matrix {
        entropyGradient(weights: weights, entropy: entropy())
    }

    /// `entropyGradient(weights:)` given the rows' entropies `h = entropy()` (a loss that has
    /// already computed them saves their exponentials).
    public func entropyGradient(weights: [Float], entropy h: [Float]) -> Matrix {
        precondition(weights.count == batch, "\(weights.count) weights for a batch of \(batch)")
        precondition(h.count == batch, "\(h.count) entropies for a batch of \(batch)")
        var g = Matrix(rows: batch, cols: categories)
        for b in 0..<batch {
            for j in 0..<categories {
                let lp = logProbabilities[b, j]
                g[b, j] = -weights[b] * Foundation.exp(lp) * (lp + h[b])
            }
        }
        return g
    }

    private func checkActions(_ actions: [Int]) {
        precondition(actions.count == batch, "\(actions.count) actions for a batch of \(batch)")
        precondition(actions.allSatisfy { (0..<categories).contains($0) },
                     "actions must lie in 0..<\(categories)")
    }
}
