/// One physical line of a notebook: its exact bytes (terminator included) and its text without the
/// terminator. Lines split only at `\n`, so `\r\n` files keep their `\r` in `raw` and round-trip exactly.
struct SourceLine {
    /// The line exactly as in the file, including `\n` or `\r\n` if present.
    let raw: String
    /// The line without its `\n` / `\r\n` terminator.
    let content: String
    /// 1-based line number in the file.
    let number: Int

    /// Splits `text` into lines; the last line has no terminator when the file does not end with a newline.
    static func split(_ text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        let bytes = Array(text.utf8)
        var start = 0
        var number = 1
        func emit(_ end: Int) {
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == UInt8(ascii: "\n") { contentEnd -= 1 }
            if contentEnd > start && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            // Cutting only next to ASCII bytes keeps both slices valid UTF-8.
            lines.append(SourceLine(raw: String(decoding: bytes[start..<end], as: UTF8.self),
                                    content: String(decoding: bytes[start..<contentEnd], as: UTF8.self),
                                    number: number))
            number += 1
            start = end
        }
        for i in bytes.indices where bytes[i] == UInt8(ascii: "\n") { emit(i + 1) }
        if start < bytes.count { emit(bytes.count) }
        return lines
    }
}

/// A code fence opener or closer as CommonMark defines it: at most three spaces of indentation, then a run
/// of at least three backticks or tildes.
struct FenceMarker {
    /// The fence character, `` ` `` or `~`.
    let character: Character
    /// Length of the run of fence characters.
    let length: Int
    /// Text after the run, trimmed (the info string on an opener).
    let rest: String

    init?(_ line: String) {
        var chars = Substring(line)
        var indent = 0
        while chars.first == " " && indent < 4 { chars = chars.dropFirst(); indent += 1 }
        guard indent <= 3, let first = chars.first, first == "`" || first == "~" else { return nil }
        let run = chars.prefix { $0 == first }
        guard run.count >= 3 else { return nil }
        character = first
        length = run.count
        rest = chars.dropFirst(run.count).trimmingWhitespace()
        // CommonMark: a backtick fence's info string may not contain backticks.
        if first == "`" && rest.contains("`") { return nil }
    }

    /// Whether this marker closes a block opened by `opener` (same character, at least as long, nothing after).
    func closes(_ opener: FenceMarker) -> Bool {
        character == opener.character && length >= opener.length && rest.isEmpty
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line terminators.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// The text without trailing spaces, tabs and carriage returns.
    func trimmingTrailingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[...last])
    }
}
