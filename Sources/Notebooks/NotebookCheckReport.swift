/// The result of `driftlab notebook check`: for every executable block, whether its stored output matches
/// a fresh run. The CLI exits with status 1 unless ``isFresh``.
public struct NotebookCheckReport: Sendable, Equatable, CustomStringConvertible {
    /// How one block's stored output compares with a fresh run.
    public enum Status: Sendable, Equatable {
        /// Stored and fresh outputs are equal (ignoring trailing whitespace and line terminators).
        case fresh
        /// The block has no output region.
        case missing
        /// The outputs differ; `regionLine` is the first differing line counted from the start marker
        /// (1-based), with the stored and fresh text of that line (`nil` past the end of one of them).
        case stale(regionLine: Int, stored: String?, fresh: String?)
        /// A command of the block failed, which also stopped the check.
        case failed(NotebookError)
        /// The block was not run because an earlier block failed.
        case notRun
    }

    /// One executable block's verdict.
    public struct Block: Sendable, Equatable {
        /// 1-based line of the block's opening fence.
        public let line: Int
        /// The verdict.
        public let status: Status
    }

    /// The notebook's name as given.
    public let file: String
    /// The executable blocks with commands, in file order.
    public let blocks: [Block]
    /// Code blocks in languages that do not run (see ``SkippedBlock``).
    public var skipped: [SkippedBlock] = []

    /// Whether every block's stored output is current.
    public var isFresh: Bool { blocks.allSatisfy { $0.status == .fresh } }

    /// Lines of the blocks that are not fresh.
    public var staleLines: [Int] { blocks.filter { $0.status != .fresh }.map(\.line) }

    /// A report for the user: one line per block that is not fresh, then a summary line.
    public var description: String {
        var lines: [String] = []
        for block in blocks {
            let prefix = "\(file):\(block.line): "
            switch block.status {
            case .fresh: continue
            case .missing: lines.append(prefix + "output missing")
            case let .stale(regionLine, stored, fresh):
                lines.append(prefix + "output is stale (output line \(regionLine): stored "
                    + (stored.map { "'\($0)'" } ?? "nothing") + ", fresh " + (fresh.map { "'\($0)'" } ?? "nothing") + ")")
            case let .failed(error): lines.append(error.description)
            case .notRun: lines.append(prefix + "not run (an earlier block failed)")
            }
        }
        if let note = SkippedBlock.summary(skipped, file: file) { lines.append(note) }
        let bad = blocks.filter { $0.status != .fresh }.count
        lines.append(bad == 0 ? "\(file): \(blocks.count) block(s), all outputs fresh"
                              : "\(file): \(bad) of \(blocks.count) block(s) stale, missing or failing")
        return lines.joined(separator: "\n")
    }
}
