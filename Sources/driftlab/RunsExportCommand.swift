import Analysis
import ArgumentParser
import Foundation

/// `driftlab runs export`: run curves as a tidy table for pandas and R.
struct RunsExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write run curves as tidy rows (run, env, label, seed, preset, update, env_steps, one column per curve) to CSV or JSON.",
        discussion: """
        One row per update of every run. Missing values (no episode finished in an update, no \
        evaluation) are empty CSV fields and JSON nulls; numbers are written in round-trip form. \
        pandas: read_csv(F) or read_json(F, orient="records"); R: read.csv(F) or jsonlite::fromJSON(F).
        """)

    @Argument(help: "Run files, folders (searched recursively for *.h5), globs, or LABEL=GLOB.") var runs: [String]
    @Option(help: "Write CSV to this file.") var csv: String?
    @Option(help: "Write JSON (an array of row objects) to this file.") var json: String?

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run file or folder") }
        guard csv != nil || json != nil else { throw ValidationError("give --csv FILE or --json FILE") }
        for (option, path) in [("--csv", csv), ("--json", json)] {
            if let path, path.isEmpty { throw ValidationError("\(option) '' must name a file") }
        }
    }

    func run() throws {
        let table = RunTable(try RunSelection(runs).load())
        if let csv { try writeAtomically(Data(table.csv().utf8), to: csv) }
        if let json { try writeAtomically(try table.json(), to: json) }
        let files = [csv, json].compactMap { $0 }.joined(separator: " and ")
        print("wrote \(table.rows.count) rows of \(Set(table.rows.map { $0[0] }).count) runs to \(files)")
    }
}
