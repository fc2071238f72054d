/// A fenced block in a language a notebook does not run (```` ```python ````, or a plain
/// ```` ```sh ```` without `exec`), reported by `notebook run` and `notebook check` so that a
/// reader who expected it to run is told it did not.
public struct SkippedBlock: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the block's opening fence.
    public let line: Int
    /// The first word of its info string.
    public let language: String

    public init(line: Int, language: String) {
        self.line = line
        self.language = language
    }

    /// Info-string words that mark data or plain text rather than code: never reported.
    public static let dataLanguages: Set<String> = ["text", "txt", "plain", "output", "csv", "tsv", "json", "toml", "yaml",
                                                    "yml", "markdown", "md", "diff"]

    public var description: String {
        let hint = language == "sh" || language == "bash" ? "; `\(language) exec` with --allow-shell runs it" : ""
        return "\(language) (line \(line)\(hint))"
    }

    /// `skipped` as one summary line for `file`, or nil when it is empty.
    public static func summary(_ skipped: [SkippedBlock], file: String) -> String? {
        guard !skipped.isEmpty else { return nil }
        let noun = skipped.count == 1 ? "block" : "blocks"
        return "\(file): skipped \(skipped.count) \(noun) in other languages (only ```driftlab and ```sh exec blocks run): "
            + skipped.map(\.description).joined(separator: ", ")
    }
}

extension MarkdownNotebook {
    /// The code blocks that never run and are not data: see ``SkippedBlock``.
    public var skippedBlocks: [SkippedBlock] {
        parts.compactMap { part in
            guard case let .code(block) = part, block.kind == .passive else { return nil }
            guard let word = block.infoString.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first else { return nil }
            let language = String(word).lowercased()
            return SkippedBlock.dataLanguages.contains(language) ? nil : SkippedBlock(line: block.line, language: language)
        }
    }
}
