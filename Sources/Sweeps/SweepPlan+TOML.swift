import Drifts
import Environments
import Foundation
import TaskCatalog
import TOMLKit
import Training

extension SweepPlan {
    /// The keys a sweep file may have at its top level.
    public static let topLevelKeys = ["out-dir", "envs", "seeds", "drifts", "settings"]
    /// Keys of `[settings]` besides the training fields.
    public static let settingsKeys = ["preset", "steps", "convention", "evaluations"]

    /// Reads and checks the sweep file at `url`.
    public static func read(_ url: URL) throws -> SweepPlan {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw SweepError.invalidFile(path: url.path, key: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        return try SweepPlan(parsing: text, path: url.relativePath)
    }

    /// Parses sweep-file text; every error names `path` and the offending key. Environments,
    /// drift specs (drift files must exist), seeds, the preset and every training setting are
    /// checked here, so a sweep never fails halfway on a typo.
    public init(parsing text: String, path: String) throws {
        func fail(_ key: String?, _ reason: String) -> SweepError { .invalidFile(path: path, key: key, reason: reason) }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw fail(nil, "line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw fail(nil, "not a TOML file: \(error)")
        }
        for key in table.keys where !Self.topLevelKeys.contains(key) {
            throw fail(key, "unknown key; a sweep file has " + Self.topLevelKeys.joined(separator: ", "))
        }

        guard let outDir = table["out-dir"]?.string, !outDir.isEmpty else {
            throw fail("out-dir", table["out-dir"] == nil ? "missing (the folder the runs go to)" : "expected a non-empty string")
        }
        guard let envArray = table["envs"]?.array, !envArray.isEmpty else {
            throw fail("envs", table["envs"] == nil ? "missing (e.g. envs = [\"ant\"])" : "expected a non-empty array of names")
        }
        var envs: [String] = []
        for item in envArray {
            guard let name = item.string else { throw fail("envs", "expected names, got \(item.debugDescription)") }
            do { _ = try EnvironmentCatalog.entry(named: name) } catch { throw fail("envs", "\(error)") }
            guard !envs.contains(name) else { throw fail("envs", "'\(name)' is listed twice") }
            envs.append(name)
        }

        let seeds: [UInt64]
        switch table["seeds"] {
        case nil: throw fail("seeds", "missing (e.g. seeds = \"0-9\")")
        case let value? where value.string != nil:
            do { seeds = try SeedList.parse(value.string!) } catch { throw fail("seeds", "\(error)") }
        case let value? where value.int != nil:
            guard value.int! >= 0 else { throw fail("seeds", "\(value.int!) is negative") }
            seeds = [UInt64(value.int!)]
        case let value? where value.array != nil:
            let items = value.array!.map { $0.int }
            guard !items.isEmpty, items.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw fail("seeds", "expected an array of non-negative integers")
            }
            seeds = items.map { UInt64($0!) }
            if let repeated = seeds.firstRepeated { throw fail("seeds", "seed \(repeated) appears twice") }
        case let value?: throw fail("seeds", "expected \"0-9\", \"0,3,5\", a number or an array, got \(value.debugDescription)")
        }

        guard let driftTable = table["drifts"]?.table, !driftTable.isEmpty else {
            throw fail("drifts", table["drifts"] == nil ? "missing: add a [drifts] table of label = \"spec\""
                       : "expected a non-empty table of label = \"spec\"")
        }
        var drifts: [DriftEntry] = []
        for label in Self.orderedKeys(of: driftTable, section: "drifts", in: text) {
            let key = "drifts.\(label)"
            guard label.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw fail(key, "a label is a folder-name suffix: letters, digits, '-', '_' and '.' only")
            }
            guard let spec = driftTable[label]?.string else {
                // TOML reads `lpo-s0.1 = "..."` as the key `1` in a table `lpo-s0`.
                if let nested = driftTable[label]?.table, let inner = nested.keys.first {
                    throw fail(key, "is a table, not a drift spec: quote a label that has a '.' (\"\(label).\(inner)\" = \"...\")")
                }
                throw fail(key, "expected a drift spec string")
            }
            do { _ = try DriftSpec(parsing: spec).makeDrift() } catch { throw fail(key, "\(error)") }
            drifts.append(DriftEntry(label: label, spec: spec))
        }

        var preset: TrainingPreset?
        var convention = MinAtarConvention.gymnax
        var settings: [Setting] = []
        var evaluations: Int?
        if let value = table["settings"] {
            guard let settingsTable = value.table else { throw fail("settings", "expected a [settings] table") }
            let fields = Set(Mirror(reflecting: TrainingConfig()).children.compactMap(\.label))
            for key in Self.orderedKeys(of: settingsTable, section: "settings", in: text) {
                let item = settingsTable[key]!
                let name = "settings.\(key)"
                switch key {
                case "preset":
                    guard let raw = item.string, let p = TrainingPreset(rawValue: raw) else {
                        throw fail(name, "unknown preset \(item.debugDescription); presets: "
                                   + TrainingPreset.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    preset = p
                case "convention":
                    guard let raw = item.string, let c = MinAtarConvention(rawValue: raw) else {
                        throw fail(name, "expected " + MinAtarConvention.allCases.map(\.rawValue).joined(separator: " or "))
                    }
                    convention = c
                case "evaluations":
                    guard settingsTable["evalInterval"] == nil else { throw fail(name, "give evaluations or evalInterval, not both") }
                    guard let n = item.int, n >= 1 else { throw fail(name, "expected a positive number of evaluations per run") }
                    evaluations = n
                case "steps":
                    guard settingsTable["totalSteps"] == nil else { throw fail(name, "give steps or totalSteps, not both") }
                    guard let v = Self.overrideText(item) else { throw fail(name, "expected a number of steps") }
                    settings.append(Setting(key: "totalSteps", value: v))
                default:
                    guard fields.contains(key) else {
                        throw fail(name, "unknown key; [settings] takes " + (Self.settingsKeys + fields.sorted()).joined(separator: ", "))
                    }
                    guard let v = Self.overrideText(item) else { throw fail(name, "unsupported value \(item.debugDescription)") }
                    settings.append(Setting(key: key, value: v))
                }
            }
        }
        self.init(path: path, outDir: outDir, envs: envs, seeds: seeds, drifts: drifts, preset: preset,
                  convention: convention, settings: settings, evaluations: evaluations)
        // Every configuration must build (e.g. minibatches must divide each batch).
        _ = try runs()
    }

    /// A TOML value as `--set` would write it: numbers, booleans, strings, arrays of integers.
    static func overrideText(_ value: any TOMLValueConvertible) -> String? {
        if let v = value.int { return "\(v)" }
        if let v = value.double { return "\(v)" }
        if let v = value.bool { return v ? "true" : "false" }
        if let v = value.string { return v }
        if let items = value.array?.map({ $0.int }), !items.isEmpty, items.allSatisfy({ $0 != nil }) {
            return items.map { "\($0!)" }.joined(separator: ",")
        }
        return nil
    }

    /// The keys of a table in the order the file writes them (TOMLKit lists them sorted),
    /// so drifts keep the order the author chose for tables and legends.
    static func orderedKeys(of table: TOMLTable, section: String, in text: String) -> [String] {
        var order: [String] = []
        var inside = false
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") { inside = trimmed.hasPrefix("[\(section)]"); continue }
            guard inside, let eq = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            if table.keys.contains(key) && !order.contains(key) { order.append(key) }
        }
        return order + table.keys.filter { !order.contains($0) }.sorted()
    }
}
