/// A fenced code block of a markdown notebook, kept byte-exact so unchanged files round-trip.
///
/// What runs is decided by the info string's words:
/// - `driftlab` (first word): every command line is one DriftLab command without the leading `driftlab`.
/// - `sh exec` / `bash exec` (first word `sh` or `bash`, and a later word `exec`): the whole body is one
///   shell script, run with `/bin/bash -c` only when shell blocks are allowed (`--allow-shell`).
///   A plain `sh` / `bash` block is documentation and never runs.
/// Any other block is passive text.
public struct FencedBlock: Sendable, Equatable {
    /// What kind of block this is, from its info string.
    public enum Kind: Sendable, Equatable {
        /// ```` ```driftlab ````: DriftLab commands, one per logical line.
        case driftlab
        /// ```` ```sh exec ```` or ```` ```bash exec ````: a shell script, run only with `--allow-shell`.
        case shell
        /// Any other fence: never run.
        case passive
    }

    /// The block exactly as in the file: opening fence line through closing fence line, terminators included.
    public internal(set) var raw: String
    /// 1-based line number of the opening fence.
    public let line: Int
    /// The info string after the opening fence, trimmed (for example `driftlab` or `sh exec`).
    public let infoString: String
    /// The lines between the fences joined with `\n` (carriage returns removed), with a final `\n` if non-empty.
    public let body: String
    /// Whether the closing fence was found (CommonMark lets an unclosed fence run to the end of the file).
    public let isClosed: Bool

    /// The block's kind, from the first word of its info string (and `exec` for shell blocks).
    public var kind: Kind {
        let words = infoString.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = words.first else { return .passive }
        if first == "driftlab" { return .driftlab }
        if (first == "sh" || first == "bash") && words.dropFirst().contains("exec") { return .shell }
        return .passive
    }

    /// Whether the block runs (`driftlab`, or a shell block when `allowShell` would permit it).
    public var isExecutable: Bool { kind != .passive }

    /// The DriftLab commands of a `driftlab` block, split with shell-like quoting (see ``CommandLineSplitter``).
    /// - Throws: ``NotebookError/malformedCommand(file:line:reason:)`` naming the command's line.
    public func commands(file: String) throws -> [NotebookCommand] {
        try CommandLineSplitter.split(body, firstLine: line + 1, file: file)
    }
}

/// One DriftLab command of a `driftlab` block.
public struct NotebookCommand: Sendable, Equatable {
    /// The arguments passed to the `driftlab` binary (without `driftlab` itself).
    public let arguments: [String]
    /// 1-based line in the notebook where the command starts.
    public let line: Int
    /// Indices of the arguments that are file patterns (an unquoted `*`, `?` or `[`), expanded when
    /// the command runs.
    public let patterns: [Int]

    /// Creates a command from its arguments and starting line.
    public init(arguments: [String], line: Int, patterns: [Int] = []) {
        self.arguments = arguments
        self.line = line
        self.patterns = patterns
    }

    /// The command as a user would type it, `driftlab` first, arguments quoted where needed.
    public var display: String {
        (["driftlab"] + arguments.map(Self.quoted)).joined(separator: " ")
    }

    static func quoted(_ argument: String) -> String {
        let plain = !argument.isEmpty && argument.allSatisfy {
            $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0)
        }
        return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// An output region written by a notebook run right after an executable block:
///
///     <!-- driftlab-output -->
///     ```text
///     ...stdout, then stderr, of each command in order...
///     exit status N          (only when a command failed)
///     ```
///     ![](figures/plot.png)  (one line per PNG the block produced)
///     <!-- /driftlab-output -->
public struct OutputRegion: Sendable, Equatable {
    /// The line that opens an output region.
    public static let startMarker = "<!-- driftlab-output -->"
    /// The line that closes an output region.
    public static let endMarker = "<!-- /driftlab-output -->"

    /// The region exactly as in the file, start marker line through end marker line, terminators included.
    public let raw: String
    /// 1-based line of the start marker (0 for a freshly rendered region).
    public let line: Int

    /// Creates a region from its exact text.
    public init(raw: String, line: Int) {
        self.raw = raw
        self.line = line
    }

    /// The region's lines with trailing whitespace removed and line terminators dropped: what `check` compares.
    public var comparableLines: [String] {
        SourceLine.split(raw).map { $0.content.trimmingTrailingWhitespace() }
    }
}
