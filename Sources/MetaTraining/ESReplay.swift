import Drifts
import Foundation

/// The ES mean of every generation of a meta-training run, rebuilt from its file.
///
/// A meta-training file keeps only the current mean, but OpenAI-ES is deterministic given
/// the run seed and each generation's fitness: the starting mean (`MetaTrainingRun.initialMean`)
/// followed by `tell` with the recorded fitness of generations 0, 1, ... reproduces every
/// later state. The replay must therefore end exactly at the state the file stores, and
/// `visit` checks that bit for bit, so a replayed mean is the mean the run really had, and a
/// history that was edited or does not belong to the state is caught. This is how the drift
/// of an earlier generation is recovered: to follow its features through the search, or to
/// train with it and see whether the mean itself improved (the population's returns mix the
/// mean's quality with the cost of sigma-sized perturbations).
public enum ESReplay {
    /// Calls `body(generations, mean)` for the start (0 generations run) and after each
    /// recorded generation, in order; then checks that the replayed state is the stored one.
    /// Throws `ESError.invalidState` naming the first difference when it is not.
    public static func visit(_ contents: MetaTrainingFile.Contents, _ body: (Int, [Float]) throws -> Void) throws {
        let d = contents.description
        let strategy = try OpenAIES(settings: d.settings, params: d.params)
        var state = try strategy.initialState(seed: d.seed,
                                              initialMean: try MetaTrainingRun.initialMean(d.drift, xi: d.xi, seed: d.seed))
        try body(0, state.mean)
        for record in contents.history {
            state = try strategy.tell(state, fitness: record.fitness)
            try body(state.generation, state.mean)
        }
        if let difference = difference(state, contents.state) {
            throw ESError.invalidState("replaying the \(contents.history.count) recorded generations does not give the "
                + "stored ES state: \(difference)")
        }
    }

    /// The mean after `generation` generations (0: the start), checked as `visit` checks.
    public static func mean(_ contents: MetaTrainingFile.Contents, afterGenerations generation: Int) throws -> [Float] {
        guard (0...contents.history.count).contains(generation) else {
            throw ESError.invalidConfiguration(field: "generation",
                                               reason: "must be in 0...\(contents.history.count) (the generations run), got \(generation)")
        }
        var found: [Float] = []
        try visit(contents) { g, mean in if g == generation { found = mean } }
        return found
    }

    /// What differs between a replayed and a stored state, or nil when they are equal.
    static func difference(_ replayed: ESState, _ stored: ESState) -> String? {
        if replayed == stored { return nil }
        if replayed.generation != stored.generation {
            return "generation \(replayed.generation) against \(stored.generation)"
        }
        if replayed.mean != stored.mean {
            let gaps = zip(replayed.mean, stored.mean).map { abs(Double($0) - Double($1)) }
            let j = gaps.indices.max { gaps[$0] < gaps[$1] } ?? 0
            return String(format: "the mean differs, by up to %.3g (entry %d)", gaps.isEmpty ? 0 : gaps[j], j)
        }
        let checks = [("Adam's moments differ", replayed.adamFirstMoment == stored.adamFirstMoment
                           && replayed.adamSecondMoment == stored.adamSecondMoment),
                      ("sigma differs", replayed.sigma == stored.sigma),
                      ("the learning rate differs", replayed.learningRate == stored.learningRate),
                      ("the best member differs", replayed.bestMember == stored.bestMember && replayed.bestFitness == stored.bestFitness)]
        if let failed = checks.first(where: { !$0.1 }) { return failed.0 }
        return "the last generation's fitness summary differs"
    }
}
