/// "Did you mean" for names a user types: environments, presets, drift options, config keys
/// and subcommands. A typo is at most a few edits from the name it was meant to be, so the
/// suggestion is the known name nearest in edit distance, if it is near enough to be a typo
/// rather than a different word.
public enum NameSuggestion {
    /// The candidate closest to `name` (ignoring case, `-` and `_`), or nil when none is within
    /// `max(2, count / 3)` edits. A candidate that starts with `name` (a name cut short,
    /// `cartpol` for `cartpole`) counts as near, once it is three letters long.
    public static func closest(to name: String, in candidates: [String]) -> String? {
        let wanted = folded(name)
        guard !wanted.isEmpty else { return nil }
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let known = folded(candidate)
            let cutShort = min(wanted.count, known.count) >= 3 && (known.starts(with: wanted) || wanted.starts(with: known))
            let distance = cutShort ? min(editDistance(wanted, known), 1) : editDistance(wanted, known)
            if distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, wanted.count / 3) else { return nil }
        return best.name
    }

    /// ` (did you mean 'NAME'?)` for an error message, or the empty string.
    public static func hint(for name: String, in candidates: [String]) -> String {
        closest(to: name, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Lower case without separators: `learning-rate`, `learning_rate` and `learningRate`
    /// compare equal.
    public static func folded(_ name: String) -> [Character] {
        Array(name.lowercased().filter { $0 != "-" && $0 != "_" })
    }

    /// Levenshtein distance (insertions, deletions and substitutions, each costing 1), with
    /// two rows of the dynamic-programming table.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
