/// Seed lists as written on the command line and in sweep files: ranges (`0-9`), lists
/// (`0,3,5`) or a mix (`0-2,7`), in the order given, without repeats.
public enum SeedList {
    /// The seeds `text` names; throws `SeedListError` for empty parts, reversed or huge
    /// ranges, non-numbers and repeated seeds.
    public static func parse(_ text: String) throws -> [UInt64] {
        var seeds: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                .map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo <= hi, hi - lo < 10_000 {
                seeds += Array(lo...hi)
            } else if bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo > hi {
                throw SeedListError(text: text, reason: "the range '\(part)' runs backwards")
            } else if bounds.count == 1, let s = bounds[0] {
                seeds.append(s)
            } else {
                throw SeedListError(text: text, reason: "'\(part)' is not a seed or a range like 0-9")
            }
        }
        if let repeated = seeds.firstRepeated { throw SeedListError(text: text, reason: "seed \(repeated) appears twice") }
        return seeds
    }
}

/// A seed list that does not parse.
public struct SeedListError: Error, CustomStringConvertible, Equatable {
    public let text: String
    public let reason: String
    public var description: String { "seeds '\(text)': \(reason) (expected ranges like 0-9 or lists like 0,3,5)" }
}

extension Array where Element: Hashable {
    /// The first element seen twice, if any.
    var firstRepeated: Element? {
        var seen = Set<Element>()
        for x in self where !seen.insert(x).inserted { return x }
        return nil
    }
}

import Foundation
