import Foundation

extension MetaTrainingDescription {
    /// What makes `self` another meta-training run than `stored`: one line per differing
    /// setting (`inner.config.annealLearningRate: true in the file, false here`), compared
    /// through their JSON encodings so that every field counts, including ones added later.
    /// The total of generations is left out: it is what a continued run may change.
    public func differences(from stored: MetaTrainingDescription) throws -> [String] {
        var mine = self, theirs = stored
        mine.generations = 0
        theirs.generations = 0
        let encoder = JSONEncoder()
        func object(_ d: MetaTrainingDescription) throws -> Any { try JSONSerialization.jsonObject(with: try encoder.encode(d)) }
        var lines: [String] = []
        Self.compare(try object(theirs), try object(mine), path: "", into: &lines)
        return lines
    }

    private static func compare(_ file: Any?, _ here: Any?, path: String, into lines: inout [String]) {
        if let a = file as? [String: Any], let b = here as? [String: Any] {
            for key in Set(a.keys).union(b.keys).sorted() {
                compare(a[key], b[key], path: path.isEmpty ? key : "\(path).\(key)", into: &lines)
            }
        } else if !same(file, here) {
            lines.append("\(path): \(text(file)) in the file, \(text(here)) here")
        }
    }

    private static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x as NSObject, y as NSObject): return x.isEqual(y)
        default: return false
        }
    }

    private static func text(_ value: Any?) -> String {
        guard let value else { return "nothing" }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
