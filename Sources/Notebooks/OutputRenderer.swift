import Foundation

/// Turns the results of one executable block into its output region (format in ``OutputRegion``).
///
/// Each command contributes its standard output, then its standard error, then `exit status N` when N is
/// not 0. Lines keep their text except: trailing whitespace is removed, a carriage return inside a line
/// keeps only what a terminal would finally show (the text after the last `\r`), and blank lines at the
/// end are dropped. Nothing else is normalised, so `check` only passes when commands print the same
/// thing every time: notebooks should avoid timings, dates and absolute paths in their outputs.
enum OutputRenderer {
    /// Renders a region.
    /// - Parameters:
    ///   - results: each command's result, in order.
    ///   - figures: image paths relative to the notebook folder, in order, without duplicates.
    ///   - lineEnding: the notebook's line terminator.
    static func region(results: [NotebookCommandResult], figures: [String], lineEnding: String) -> OutputRegion {
        var lines: [String] = []
        for result in results {
            lines += textLines(result.standardOutput)
            lines += textLines(result.standardError)
            if result.status != 0 { lines.append("exit status \(result.status)") }
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(lines) + 1))
        var out = [OutputRegion.startMarker, fence + "text"]
        out += lines
        out.append(fence)
        out += figures.map(imageLink)
        out.append(OutputRegion.endMarker)
        return OutputRegion(raw: out.map { $0 + lineEnding }.joined(), line: 0)
    }

    /// The lines of captured text, trailing whitespace removed, carriage-return overwrites resolved.
    static func textLines(_ text: String) -> [String] {
        SourceLine.split(text).map { line in
            let trimmed = line.content.trimmingTrailingWhitespace()
            guard let cr = trimmed.lastIndex(of: "\r") else { return trimmed }
            return String(trimmed[trimmed.index(after: cr)...])
        }
    }

    /// Longest run of backticks at the start of any line (after indentation), so the fence outlasts it.
    private static func longestBacktickRun(_ lines: [String]) -> Int {
        lines.map { line in line.drop { $0 == " " }.prefix { $0 == "`" }.count }.max() ?? 0
    }

    /// A markdown image link; paths with spaces or brackets use the `<...>` form CommonMark allows.
    static func imageLink(_ path: String) -> String {
        path.contains(where: { " ()<>".contains($0) }) ? "![](<\(path)>)" : "![](\(path))"
    }
}

/// Finds the PNG figures a block produced: paths ending in `.png` in the command arguments (also as
/// `--option=path.png`), in a shell script's text, or mentioned in the output, that exist once the block
/// has run.
enum FigureFinder {
    /// Candidate paths from command arguments.
    static func candidates(arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var found = isPNG(argument[...]) ? [argument] : []
            if let equals = argument.firstIndex(of: "="), isPNG(argument[argument.index(after: equals)...]) {
                found.append(String(argument[argument.index(after: equals)...]))
            }
            return found
        }
    }

    /// Candidate paths mentioned anywhere in free text (output or a shell script), stripped of quotes and
    /// surrounding punctuation.
    static func candidates(text: String) -> [String] {
        var found: [String] = []
        // Quoted paths first, so names with spaces are found whole: 'figs/a b.png' or "figs/a b.png".
        for quote in ["'", "\""] as [Character] {
            let pieces = text.split(separator: quote, omittingEmptySubsequences: false)
            var k = 1
            while k < pieces.count - 1 {
                let inside = pieces[k]
                if !inside.contains(where: { $0 == "\n" || $0 == "\r\n" }) && isPNG(inside) { found.append(String(inside)) }
                k += 2
            }
        }
        let separators: Set<Character> = [" ", "\t", "\n", "\r", "\r\n", "\"", "'", "(", ")", "<", ">", "[", "]", "`", ",", ";", "="]
        for token in text.split(whereSeparator: { separators.contains($0) }) {
            var word = token
            while let last = word.last, ".:!?".contains(last) { word = word.dropLast() }
            if isPNG(word) { found.append(String(word)) }
        }
        return found
    }

    private static func isPNG(_ s: Substring) -> Bool {
        s.count > 4 && s.lowercased().hasSuffix(".png")
    }

    /// The candidates that exist as files, as paths relative to `directory` (with `..` when outside it),
    /// first mention first, without duplicates.
    static func existing(_ candidates: [String], in directory: URL) -> [String] {
        let base = directory.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var seen = Set<String>()
        var found: [String] = []
        for candidate in candidates {
            let url = candidate.hasPrefix("/") ? URL(fileURLWithPath: candidate)
                : directory.appendingPathComponent(candidate)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let parts = url.standardizedFileURL.resolvingSymlinksInPath().pathComponents
            var common = 0
            while common < min(base.count, parts.count) && base[common] == parts[common] { common += 1 }
            let relative = (Array(repeating: "..", count: base.count - common) + parts[common...]).joined(separator: "/")
            if seen.insert(relative).inserted { found.append(relative) }
        }
        return found
    }
}
