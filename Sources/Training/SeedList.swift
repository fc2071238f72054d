import Foundation

/// Seed lists as written on the command line and in sweep files: ranges (`0-9`), lists
/// (`0,3,5`) or a mix (`0-2,7`), in the order given, without repeats. Parsing never traps:
/// every other string is an error naming it and saying why.
public enum SeedList {
    /// Most seeds one list may name.
    public static let limit = 10_000

    /// Why a seed list was refused; `description` is one line naming the text.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let text: String
        public let reason: String
        public var description: String { "seeds '\(text)': \(reason) (expected ranges like 0-9 or lists like 0,3,5)" }
    }

    /// The seeds of `text`, in order.
    public static func parse(_ text: String) throws -> [UInt64] {
        guard text.utf8.count <= 100_000 else {
            throw ParseError(text: String(text.prefix(20)) + "...", reason: "\(text.utf8.count) characters; the limit is 100000")
        }
        var seeds: [UInt64] = []
        // Empty pieces are kept, so that "1-" and "0,,3" are refused rather than read as "1" and "0,3".
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                .map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 2, let lo = bounds[0], let hi = bounds[1] {
                guard lo <= hi else { throw ParseError(text: text, reason: "the range '\(part)' runs backwards") }
                guard hi - lo < UInt64(limit) else {
                    throw ParseError(text: text, reason: "the range '\(part)' names more than \(limit) seeds")
                }
                seeds += Array(lo...hi)
            } else if bounds.count == 1, let s = bounds[0] {
                seeds.append(s)
            } else {
                throw ParseError(text: text, reason: "'\(part)' is not a seed or a range like 0-9")
            }
            guard seeds.count <= limit else { throw ParseError(text: text, reason: "more than \(limit) seeds") }
        }
        if let repeated = seeds.firstRepeated { throw ParseError(text: text, reason: "seed \(repeated) appears twice") }
        return seeds
    }
}

extension Array where Element: Hashable {
    /// The first element seen twice, if any.
    public var firstRepeated: Element? {
        var seen = Set<Element>()
        for x in self where !seen.insert(x).inserted { return x }
        return nil
    }
}
