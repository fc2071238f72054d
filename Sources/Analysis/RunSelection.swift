import Foundation
import Training
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Run files chosen on the command line: files, folders (searched recursively for `*.h5`),
/// shell globs, and `LABEL=GLOB` arguments that name the algorithm of the runs they match.
public struct RunSelection: Sendable, Equatable {
    /// One chosen run file.
    public struct Item: Sendable, Equatable {
        /// The path as found (relative paths stay relative to the working directory).
        public var path: String
        /// The label given with `LABEL=GLOB`; nil labels the run by its drift.
        public var label: String?
    }

    /// The run files, in argument order, each file once (the first argument naming it wins).
    public var items: [Item]

    /// Resolves `arguments`; an argument that matches nothing is an error naming it.
    public init(_ arguments: [String]) throws {
        var items: [Item] = [], seen = Set<String>()
        for argument in arguments {
            let (label, pattern) = Self.split(argument)
            let paths = try Self.expand(pattern)
            guard !paths.isEmpty else {
                throw AnalysisError.invalidInput("'\(argument)' matches no run files (*.h5)")
            }
            for path in paths where seen.insert(path).inserted { items.append(Item(path: path, label: label)) }
        }
        self.items = items
    }

    /// The label of a run trained with drift `spec`: a drift file's name without `.h5`
    /// (`data/lpo.h5` is `lpo`), else the spec itself (`dpo`, `ppo:eps=0.3`).
    public static func label(forDrift spec: String) -> String {
        guard spec.hasSuffix(".h5") || spec.contains("/") else { return spec }
        let name = (spec as NSString).lastPathComponent
        return name.hasSuffix(".h5") ? String(name.dropLast(3)) : name
    }

    /// `LABEL=GLOB` splits when LABEL is non-empty and holds no `/` (so a path with `=` in a
    /// folder name is still a path).
    static func split(_ argument: String) -> (label: String?, pattern: String) {
        guard let equals = argument.firstIndex(of: "=") else { return (nil, argument) }
        let label = String(argument[..<equals])
        guard !label.isEmpty, !label.contains("/") else { return (nil, argument) }
        return (label, String(argument[argument.index(after: equals)...]))
    }

    /// A folder's `*.h5` files (recursively), a glob's matches, or the file itself.
    static func expand(_ pattern: String) throws -> [String] {
        let matches = pattern.contains(where: { "*?[".contains($0) }) ? try expandGlob(pattern) : [pattern]
        var result: [String] = []
        for path in matches {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw AnalysisError.invalidFile(path: path, reason: "no such file or folder")
            }
            if isFolder.boolValue {
                result += try runFiles(under: path)
            } else {
                result.append(path)
            }
        }
        return result
    }

    /// The `*.h5` files under `folder`, sorted, with paths that start with `folder`.
    static func runFiles(under folder: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw AnalysisError.invalidFile(path: folder, reason: "cannot list the folder")
        }
        let base = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".h5") }.sorted()
            .map { base + "/" + $0 }
    }

    /// Shell-style globbing (`*`, `?`, `[...]`), sorted; relative patterns resolve from the working directory.
    public static func expandGlob(_ pattern: String) throws -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = glob(pattern, 0, nil, &result)
        if status == GLOB_NOMATCH { return [] }
        guard status == 0 else { throw AnalysisError.invalidInput("cannot expand the pattern '\(pattern)' (glob error \(status))") }
        return (0..<Int(result.gl_pathc)).compactMap { i in result.gl_pathv[i].map { String(cString: $0) } }.sorted()
    }
}

/// A run file read, with the label it is compared under.
public struct LabelledRun {
    /// The file's path as selected.
    public var path: String
    /// The algorithm's label: given with `LABEL=GLOB`, else from the run's drift.
    public var label: String
    /// The run file's contents.
    public var run: RunFile.Contents

    /// The task: the run's environment.
    public var env: String { run.description.env }
}

extension RunSelection {
    /// Reads every selected run file; errors name the file.
    public func load() throws -> [LabelledRun] {
        try items.map { item in
            let run = try RunFile.read(from: URL(fileURLWithPath: item.path))
            return LabelledRun(path: item.path, label: item.label ?? Self.label(forDrift: run.description.drift), run: run)
        }
    }
}
