import Drifts
import Foundation
import Storage
import Training

/// Meta-training files: a drift file whose `/drift` group is always the current ES mean
/// (so every analysis command reads it), plus `/es/state` (the exact ES state as JSON and
/// the mean as a dataset) and `/es/history` (one row per generation: `generation`,
/// `fitness` `(generations, population)`, `sigma`, `lr`, `seconds`, and `returns`
/// `(generations, population, environments)`: the raw returns behind the fitness, NaN for
/// generations recorded before it was kept).
public enum MetaTrainingFile {
    public static func write(to url: URL, description: MetaTrainingDescription, drift: NetworkDrift, state: ESState,
                             history: [GenerationRecord], provenance: [String: String]) throws {
        try HDF5File.writeAtomically(to: url) { file in
            let root = try file.root
            for (key, value) in provenance.sorted(by: { $0.key < $1.key }) { try root.setAttribute(key, value) }
            try DriftFile.write(drift, into: root)
            let es = try root.createGroup("es")
            try es.setAttribute("description_json", String(decoding: try JSONEncoder.sorted.encode(description), as: UTF8.self))
            try es.setAttribute("generation", state.generation)
            try es.setAttribute("generations", description.generations)
            try es.setAttribute("population", description.settings.populationSize)
            try es.setAttribute("fitness_shaping", description.settings.fitnessShaping.rawValue)
            try es.setAttribute("environments", description.inner.environments)
            try es.setAttribute("inner_steps", description.inner.config.totalSteps)
            let saved = try es.createGroup("state")
            try saved.write(state.mean, shape: [state.mean.count], to: "mean")
            let json = try JSONEncoder.sorted.encode(state)
            try saved.write([UInt8](json), shape: [json.count], to: "state_json", options: .compressed(level: 4))
            let h = try es.createGroup("history")
            let p = description.settings.populationSize
            try h.write(history.map { Int64($0.generation) }, shape: [history.count], to: "generation")
            try h.write(history.flatMap(\.fitness), shape: [history.count, p], to: "fitness")
            try h.write(history.map(\.sigma), shape: [history.count], to: "sigma")
            try h.write(history.map(\.learningRate), shape: [history.count], to: "lr")
            try h.write(history.map(\.seconds), shape: [history.count], to: "seconds")
            let width = description.inner.environments.count
            if history.contains(where: { $0.returns != nil }) {
                let missing = [[Double]](repeating: [Double](repeating: .nan, count: width), count: p)
                try h.write(history.flatMap { ($0.returns ?? missing).flatMap { $0 } }, shape: [history.count, p, width], to: "returns")
            }
        }
    }

    public struct Contents {
        public var description: MetaTrainingDescription
        public var state: ESState
        public var history: [GenerationRecord]
    }

    public static func read(from url: URL) throws -> Contents {
        let file = try HDF5File.open(url)
        let root = try file.root
        guard try root.contains("es/state/state_json") else {
            throw ESError.invalidState("'\(url.path)' is not a meta-training file (no /es/state)")
        }
        let es = try root.openGroup("es")
        do {
            let description = try JSONDecoder().decode(MetaTrainingDescription.self,
                                                       from: Data(try es.attribute("description_json", as: String.self).utf8))
            let state = try JSONDecoder().decode(ESState.self, from: Data(try es.read("state/state_json", as: UInt8.self).values))
            let generations = try es.read("history/generation", as: Int64.self).values
            let (fitness, shape) = try es.read("history/fitness", as: Double.self)
            let sigma = try es.read("history/sigma", as: Double.self).values
            let lr = try es.read("history/lr", as: Double.self).values
            let seconds = try es.read("history/seconds", as: Double.self).values
            let population = description.settings.populationSize
            // History and state must tell the same story: one history row per generation the
            // state has run, every column as long. A resumed run would otherwise lose (or
            // duplicate) a generation's fitness without a word.
            func invalid(_ reason: String) -> ESError { ESError.invalidState("'\(url.path)': \(reason)") }
            guard shape == [generations.count, population] || (generations.isEmpty && fitness.isEmpty) else {
                throw invalid("/es/history/fitness has shape \(shape), expected (\(generations.count), \(population))")
            }
            for (name, column) in [("sigma", sigma), ("lr", lr), ("seconds", seconds)] where column.count != generations.count {
                throw invalid("/es/history/\(name) has \(column.count) rows, /es/history/generation \(generations.count)")
            }
            guard generations.count == state.generation else {
                throw invalid("/es/history has \(generations.count) generations but the ES state has run \(state.generation)")
            }
            guard generations.enumerated().allSatisfy({ Int64($0.offset) == $0.element }) else {
                throw invalid("/es/history/generation is not 0, 1, 2, ...")
            }
            guard state.mean.count == description.settings.dimension, state.mean.allSatisfy(\.isFinite) else {
                throw invalid("the ES mean has \(state.mean.count) values (expected \(description.settings.dimension)) or non-finite ones")
            }
            let environments = description.inner.environments.count
            var returns: [Double]?
            if try es.contains("history/returns") {
                let (values, returnsShape) = try es.read("history/returns", as: Double.self)
                guard returnsShape == [generations.count, population, environments] || (generations.isEmpty && values.isEmpty) else {
                    throw invalid("/es/history/returns has shape \(returnsShape), expected (\(generations.count), \(population), \(environments))")
                }
                returns = values
            }
            let width = population
            let history = generations.indices.map { i in
                // A row of NaN only is a generation recorded before the returns were kept.
                let row = returns.map { values in
                    (0..<population).map { m in Array(values[(i * population + m) * environments..<(i * population + m + 1) * environments]) }
                }
                return GenerationRecord(generation: Int(generations[i]), fitness: Array(fitness[i * width..<(i + 1) * width]),
                                        sigma: sigma[i], learningRate: lr[i], seconds: seconds[i],
                                        returns: row?.contains(where: { $0.contains(where: { !$0.isNaN }) }) == true ? row : nil)
            }
            return Contents(description: description, state: state, history: history)
        } catch let error as DecodingError {
            throw ESError.invalidState("'\(url.path)': corrupt meta-training state: \(error)")
        }
    }
}
