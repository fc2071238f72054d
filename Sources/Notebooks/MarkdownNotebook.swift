/// A markdown notebook as an ordered list of parts whose concatenation is the file, byte for byte.
public struct MarkdownNotebook: Sendable, Equatable {
    /// One piece of a notebook.
    public enum Part: Sendable, Equatable {
        /// Prose or anything that is neither a fenced block nor an output region, kept verbatim.
        case text(String)
        /// A fenced code block (executable or not).
        case code(FencedBlock)
        /// An output region (`<!-- driftlab-output -->` ... `<!-- /driftlab-output -->`).
        case output(OutputRegion)

        /// The exact text of this part.
        public var raw: String {
            switch self {
            case let .text(text): return text
            case let .code(block): return block.raw
            case let .output(region): return region.raw
            }
        }
    }

    /// The parts in file order.
    public internal(set) var parts: [Part]
    /// The file's line terminator (`"\r\n"` if its first line ends that way, otherwise `"\n"`), used for new text.
    public let lineEnding: String
    /// The name used in error messages (usually the path as the user gave it).
    public let file: String

    /// Parses markdown text.
    /// - Parameters:
    ///   - text: the whole file.
    ///   - file: the name used in error messages.
    /// - Throws: ``NotebookError/unclosedFence(file:line:)`` for an executable block without closing fence,
    ///   ``NotebookError/unclosedOutput(file:line:)`` for an output region without end marker (also when
    ///   another start marker comes first), ``NotebookError/unopenedOutput(file:line:)`` for an end marker
    ///   outside any region.
    public init(parsing text: String, file: String) throws {
        self.file = file
        let lines = SourceLine.split(text)
        lineEnding = lines.first.map { $0.raw.hasSuffix("\r\n") ? "\r\n" : "\n" } ?? "\n"
        var parts: [Part] = []
        var pendingText = ""
        func flushText() {
            if !pendingText.isEmpty { parts.append(.text(pendingText)) }
            pendingText = ""
        }
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let opener = FenceMarker(line.content) {
                let (end, closed) = Self.fenceEnd(lines, openerAt: i, opener: opener)
                let bodyLines = lines[(i + 1)..<(closed ? end - 1 : end)]
                let block = FencedBlock(raw: lines[i..<end].map(\.raw).joined(), line: line.number,
                                        infoString: opener.rest,
                                        body: bodyLines.map { $0.content + "\n" }.joined(), isClosed: closed)
                if !closed && block.isExecutable { throw NotebookError.unclosedFence(file: file, line: line.number) }
                flushText()
                parts.append(.code(block))
                i = end
            } else if line.content.trimmingWhitespace() == OutputRegion.startMarker {
                var j = i + 1
                var found = false
                while j < lines.count {
                    if let opener = FenceMarker(lines[j].content) {
                        // Skip the region's fenced output so a printed end marker cannot close the region.
                        j = Self.fenceEnd(lines, openerAt: j, opener: opener).end
                        continue
                    }
                    let content = lines[j].content.trimmingWhitespace()
                    if content == OutputRegion.endMarker { found = true; break }
                    // A second start marker before the end one means an end marker is missing:
                    // taking the later end marker would swallow (and on the next run delete)
                    // everything in between.
                    if content == OutputRegion.startMarker { break }
                    j += 1
                }
                guard found else { throw NotebookError.unclosedOutput(file: file, line: line.number) }
                flushText()
                parts.append(.output(OutputRegion(raw: lines[i...j].map(\.raw).joined(), line: line.number)))
                i = j + 1
            } else if line.content.trimmingWhitespace() == OutputRegion.endMarker {
                throw NotebookError.unopenedOutput(file: file, line: line.number)
            } else {
                pendingText += line.raw
                i += 1
            }
        }
        flushText()
        self.parts = parts
    }

    /// Index one past the closing fence (or the end of the file) and whether a closing fence was found.
    private static func fenceEnd(_ lines: [SourceLine], openerAt start: Int, opener: FenceMarker) -> (end: Int, closed: Bool) {
        var j = start + 1
        while j < lines.count {
            if let marker = FenceMarker(lines[j].content), marker.closes(opener) { return (j + 1, true) }
            j += 1
        }
        return (lines.count, false)
    }

    /// The notebook's text: the parts concatenated. Equal to the parsed text until outputs are replaced.
    public var text: String { parts.map(\.raw).joined() }

    /// Indices into ``parts`` of the executable blocks (`driftlab` and shell), in file order.
    public var executableBlockIndices: [Int] {
        parts.indices.filter { if case let .code(block) = parts[$0] { return block.isExecutable } else { return false } }
    }

    /// The index of the output region that belongs to the block at `blockIndex`: the next part, or the one
    /// after a run of blank lines. `nil` when the block has no output region yet.
    public func outputIndex(forBlockAt blockIndex: Int) -> Int? {
        var k = blockIndex + 1
        if k < parts.count, case let .text(text) = parts[k], text.trimmingWhitespace().isEmpty { k += 1 }
        if k < parts.count, case .output = parts[k] { return k }
        return nil
    }

    /// Replaces the output region of the block at `blockIndex`, or inserts one right after the block
    /// (separated by a blank line, and followed by one unless the next text already starts with a blank line).
    /// - Returns: the index of the output region afterwards.
    @discardableResult
    public mutating func setOutput(_ region: OutputRegion, forBlockAt blockIndex: Int) -> Int {
        if let k = outputIndex(forBlockAt: blockIndex) {
            parts[k] = .output(region)
            return k
        }
        guard case var .code(block) = parts[blockIndex] else {
            preconditionFailure("setOutput(_:forBlockAt:) needs the index of a code block")
        }
        // A file that ends right after the closing fence gets a terminator so the marker starts a new line.
        if block.raw.utf8.last != UInt8(ascii: "\n") {
            block.raw += lineEnding
            parts[blockIndex] = .code(block)
        }
        var inserted: [Part] = [.text(lineEnding), .output(region)]
        let next = blockIndex + 1
        if next < parts.count {
            let following = parts[next].raw
            if !(following.hasPrefix("\n") || following.hasPrefix("\r\n")) { inserted.append(.text(lineEnding)) }
        }
        parts.insert(contentsOf: inserted, at: next)
        return next + 1
    }
}
