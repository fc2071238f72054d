/// Splits the body of a `driftlab` block into commands and arguments with shell-like rules:
///
/// - one command per line; a backslash right before the line end continues the command on the next line;
/// - words are separated by spaces and tabs; single quotes keep everything literally (newlines included);
///   double quotes keep everything except `\"`, `\\`, `\$`, `` \` `` (escapes) and backslash-newline
///   (a continuation); outside quotes a backslash makes the next character literal;
/// - an unquoted `#` at the start of a word begins a comment to the end of the line, so lines starting
///   with `#` are comments;
/// - a word with an unquoted `*`, `?` or `[` is a file pattern, expanded when the command runs (in the
///   notebook's folder, see ``GlobExpansion``); no variable expansion, pipes or redirection.
public enum CommandLineSplitter {
    /// Splits `body` (lines joined with `\n`) into commands.
    /// - Parameters:
    ///   - body: the block's text between its fences.
    ///   - firstLine: the notebook line number of the body's first line.
    ///   - file: the notebook name for error messages.
    /// - Throws: ``NotebookError/malformedCommand(file:line:reason:)`` for an unterminated quote or a
    ///   continuation with nothing after it.
    public static func split(_ body: String, firstLine: Int, file: String) throws -> [NotebookCommand] {
        let chars = Array(body.unicodeScalars)
        var commands: [NotebookCommand] = []
        var arguments: [String] = []
        var word: String? = nil
        var wordIsPattern = false
        var patterns: [Int] = []
        var line = firstLine
        var commandLine = firstLine

        func endWord() {
            if let w = word {
                if wordIsPattern { patterns.append(arguments.count) }
                arguments.append(w)
            }
            word = nil
            wordIsPattern = false
        }
        func endCommand() {
            endWord()
            if !arguments.isEmpty { commands.append(NotebookCommand(arguments: arguments, line: commandLine, patterns: patterns)) }
            arguments = []
            patterns = []
        }
        func startWordIfNeeded() {
            if word == nil {
                if arguments.isEmpty { commandLine = line }
                word = ""
            }
        }

        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t":
                endWord()
            case "\n":
                endCommand()
                line += 1
            case "#" where word == nil:
                while i + 1 < chars.count && chars[i + 1] != "\n" { i += 1 }
            case "\\":
                guard i + 1 < chars.count else {
                    throw NotebookError.malformedCommand(file: file, line: line,
                                                         reason: "backslash at the end of the block")
                }
                if chars[i + 1] == "\n" {
                    // Continuation: the command goes on with the next line.
                    line += 1
                    if i + 2 >= chars.count {
                        throw NotebookError.malformedCommand(file: file, line: line - 1,
                                                             reason: "line continuation with no line after it")
                    }
                } else {
                    startWordIfNeeded()
                    word!.unicodeScalars.append(chars[i + 1])
                }
                i += 1
            case "'":
                startWordIfNeeded()
                let opened = line
                i += 1
                while i < chars.count && chars[i] != "'" {
                    if chars[i] == "\n" { line += 1 }
                    word!.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard i < chars.count else {
                    throw NotebookError.malformedCommand(file: file, line: opened, reason: "unterminated single quote")
                }
            case "\"":
                startWordIfNeeded()
                let opened = line
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    let d = chars[i]
                    if d == "\\" && i + 1 < chars.count && "\"\\$`".unicodeScalars.contains(chars[i + 1]) {
                        word!.unicodeScalars.append(chars[i + 1])
                        i += 1
                    } else if d == "\\" && i + 1 < chars.count && chars[i + 1] == "\n" {
                        line += 1
                        i += 1
                    } else {
                        if d == "\n" { line += 1 }
                        word!.unicodeScalars.append(d)
                    }
                    i += 1
                }
                guard i < chars.count else {
                    throw NotebookError.malformedCommand(file: file, line: opened, reason: "unterminated double quote")
                }
            default:
                startWordIfNeeded()
                if c == "*" || c == "?" || c == "[" { wordIsPattern = true }
                word!.unicodeScalars.append(c)
            }
            i += 1
        }
        endCommand()
        return commands
    }
}
