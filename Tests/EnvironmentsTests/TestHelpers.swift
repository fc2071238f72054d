import Foundation
import Tensors
import TestSupport
@testable import Environments

/// Deterministic JSON of a value, to compare states that are not `Equatable`.
func stateJSON<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
}

/// The dense observation of an environment as an array.
func denseObservation<E: Environment>(_ env: E) -> [Float] {
    var buffer = [Float](repeating: -1, count: env.observationSize)
    buffer.withUnsafeMutableBufferPointer { env.writeObservation(into: $0) }
    return buffer
}

/// The set cells of a MinAtar game as flat indices `(y * 10 + x) * C + channel`.
func activeIndices<G: MinAtarGame>(_ game: G) -> Set<Int> {
    var cells = Set<Int>()
    game.forEachActiveCell { y, x, c in cells.insert((y * 10 + x) * G.channelCount + c) }
    return cells
}

/// Options with no sticky actions and the full action set.
let plainOptions = MinAtarOptions(stickyActionProbability: 0, actionSet: .full, ramping: true, maxEpisodeSteps: nil)
