import Foundation

/// A list of seeds as written on the command line: ranges `0-9`, lists `0,3,5`, or a mix
/// (`0-2,7`). Parsing never traps: every other string is an error naming it.
public enum SeedList {
    /// Most seeds one list may name.
    public static let limit = 10_000

    /// Why a seed list was refused; `description` is one line naming the text.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The seeds of `text`, in order.
    public static func parse(_ text: String) throws -> [UInt64] {
        guard text.utf8.count <= 100_000 else {
            throw ParseError(description: "--seeds is \(text.utf8.count) characters long; the limit is 100000")
        }
        var seeds: [UInt64] = []
        // Empty pieces are kept, so that "1-" and "0,,3" are refused rather than read as "1" and "0,3".
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                .map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo <= hi, hi - lo < UInt64(limit) {
                seeds += Array(lo...hi)
            } else if bounds.count == 1, let s = bounds[0] {
                seeds.append(s)
            } else {
                throw ParseError(description: "--seeds '\(text)': expected ranges like 0-9 or lists like 0,3,5")
            }
            guard seeds.count <= limit else {
                throw ParseError(description: "--seeds '\(text)' names more than \(limit) seeds")
            }
        }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw ParseError(description: "--seeds '\(text)' is empty or repeats a seed")
        }
        return seeds
    }
}

