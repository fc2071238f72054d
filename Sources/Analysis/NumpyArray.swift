import Foundation

/// A numeric array read from a NumPy `.npy` file (format versions 1-3), for importing drift
/// parameters trained with the public JAX reference code.
public struct NumpyArray: Sendable, Equatable {
    public var shape: [Int]
    /// Values in C (row-major) order, converted to Float.
    public var values: [Float]

    /// Reads little-endian float32 or float64 arrays in C order.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AnalysisError.invalidFile(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(data: data, path: url.path)
    }

    public init(data: Data, path: String) throws {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> AnalysisError { .invalidFile(path: path, reason: reason) }
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1...5]) == Array("NUMPY".utf8) else {
            throw fail("not a NumPy .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported .npy format version \(major)")
        }
        guard bytes.count >= headerStart + headerLength else { throw fail("truncated .npy header") }
        let header = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        func field(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return String(header[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let quote = descrField.dropFirst().firstIndex(of: "'") else {
            throw fail("the .npy header has no dtype ('descr')")
        }
        let descr = String(descrField[descrField.index(after: descrField.startIndex)..<quote])
        guard let order = field("fortran_order"), order.hasPrefix("False") else {
            throw fail("Fortran-ordered arrays are not supported; save with numpy's default C order")
        }
        guard let shapeField = field("shape"), let open = shapeField.firstIndex(of: "("),
              let close = shapeField.firstIndex(of: ")") else {
            throw fail("the .npy header has no shape")
        }
        let dims = shapeField[shapeField.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try dims.map { d -> Int in
            guard let n = Int(d), n >= 0 else { throw fail("bad dimension '\(d)' in the .npy shape") }
            return n
        }
        let count = shape.reduce(1, *)
        let body = headerStart + headerLength
        let width: Int
        switch descr {
        case "<f4", "=f4": width = 4
        case "<f8", "=f8": width = 8
        default: throw fail("unsupported dtype '\(descr)': expected little-endian float32 ('<f4') or float64 ('<f8')")
        }
        guard bytes.count - body >= count * width else {
            throw fail("holds \((bytes.count - body) / width) values, its shape \(shape) needs \(count)")
        }
        var values = [Float](repeating: 0, count: count)
        for k in 0..<count {
            let o = body + k * width
            if width == 4 {
                var bits = UInt32(0)
                for b in 0..<4 { bits |= UInt32(bytes[o + b]) << (8 * b) }
                values[k] = Float(bitPattern: bits)
            } else {
                var bits = UInt64(0)
                for b in 0..<8 { bits |= UInt64(bytes[o + b]) << (8 * b) }
                values[k] = Float(Double(bitPattern: bits))
            }
        }
        self.shape = shape
        self.values = values
    }

    /// Encodes a float32 array as a version-1 `.npy` file (for tests and round trips).
    public static func encode(_ values: [Float], shape: [Int]) -> Data {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(dims)), }"
        // Pad so that the data starts on a 64-byte boundary, ending the header with a newline.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values {
            let bits = v.bitPattern
            data.append(contentsOf: [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)])
        }
        return data
    }
}
