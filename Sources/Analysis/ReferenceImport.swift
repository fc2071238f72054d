import Drifts
import Foundation

/// Imports LPO drifts trained with the public JAX reference code.
public enum ReferenceImport {
    /// An LPO network from the reference code's flat parameter vector: 1,152 float values,
    /// the first-layer kernel `(8, 128)` row-major, then the second-layer kernel `(128, 1)`,
    /// features in the reference order (DriftLab's own flat layout is the same).
    public static func lpo(fromNumpy url: URL, xi: Float = NetworkDrift.defaultXi) throws -> NetworkDrift {
        let array = try NumpyArray(contentsOf: url)
        let expected = try NetworkDrift.make(.lpo, xi: xi)
        guard array.values.count == expected.parameterCount else {
            throw AnalysisError.invalidFile(path: url.path, reason: "holds \(array.values.count) values of shape \(array.shape); "
                + "an LPO parameter vector has \(expected.parameterCount) (8x128 + 128x1)")
        }
        do {
            return try expected.with(parameters: array.values)
        } catch {
            throw AnalysisError.invalidFile(path: url.path, reason: "\(error)")
        }
    }
}
