import Foundation
import Training

/// Run curves as one tidy table, a row per update of every run: `run`, `env`, `label`,
/// `seed`, `preset`, `update`, `env_steps`, then one column per curve of `/curves`, as
/// pandas (`read_csv`, `read_json(orient="records")`) and R (`read.csv`,
/// `jsonlite::fromJSON`) read them directly.
///
/// Missing values (NaN: no episode finished in an update, no evaluation) are empty CSV
/// fields and JSON `null`. Numbers are written in Swift's shortest round-trip form, so a
/// table read back holds exactly the file's values.
public struct RunTable {
    /// A cell.
    public enum Value: Hashable {
        case text(String)
        case integer(Int64)
        case number(Double)
    }

    /// Column names.
    public var columns: [String]
    /// Rows, each with one value per column.
    public var rows: [[Value]]

    /// The columns before the curves.
    public static let keyColumns = ["run", "env", "label", "seed", "preset", "update", "env_steps"]

    /// The table of `runs`' curves.
    public init(_ runs: [LabelledRun]) {
        let curves = UpdateMetrics.curveNames(of: runs.map(\.run)).filter { $0 != "update" && $0 != "env_steps" }
        columns = Self.keyColumns + curves
        rows = runs.flatMap { run in
            run.run.curves.map { metrics in
                [.text(run.path), .text(run.env), .text(run.label), .integer(Int64(bitPattern: run.run.description.seed)),
                 .text(run.run.description.preset), .integer(Int64(metrics.update)), .integer(Int64(metrics.envSteps))]
                    + curves.map { .number(metrics[$0]) }
            }
        }
    }

    /// RFC 4180 CSV with a header line; text with commas, quotes or line breaks is quoted.
    public func csv() -> String {
        func field(_ value: Value) -> String {
            switch value {
            case .integer(let i): return String(i)
            case .number(let x): return x.isFinite ? "\(x)" : ""
            case .text(let s):
                guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
        }
        var text = columns.map { field(.text($0)) }.joined(separator: ",") + "\n"
        for row in rows { text += row.map(field).joined(separator: ",") + "\n" }
        return text
    }

    /// A JSON array of row objects (column name to value; NaN as null).
    public func json() throws -> Data {
        var text = "["
        for (index, row) in rows.enumerated() {
            text += index == 0 ? "\n" : ",\n"
            text += "{" + zip(columns, row).map { name, value in
                let encoded: String
                switch value {
                case .integer(let i): encoded = String(i)
                case .number(let x): encoded = x.isFinite ? "\(x)" : "null"
                case .text(let s): encoded = Self.jsonString(s)
                }
                return Self.jsonString(name) + ":" + encoded
            }.joined(separator: ",") + "}"
        }
        text += rows.isEmpty ? "]\n" : "\n]\n"
        return Data(text.utf8)
    }

    /// `s` as a JSON string literal.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
