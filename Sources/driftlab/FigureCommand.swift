import ArgumentParser
import Figures
import Foundation

/// Options shared by `figure` and `figures`.
struct FigureOptions: ParsableArguments {
    @Option(help: "Figure manifest (what each figure is drawn from).") var manifest: String = "data/figures.json"
    @Option(help: "Output folder.") var outDir: String = "figures"
    @Option(help: "Override a series' run files: LABEL=GLOB or PANEL/LABEL=GLOB (repeatable; relative to the working directory), e.g. 'PPO=runs/ant-ppo-*.h5'.")
    var runs: [String] = []
    @Option(help: "Folder the manifest's relative paths resolve from (default: the project root holding the manifest, else the working directory).")
    var root: String?
    @Option(parsing: .unconditional, help: "Heat-map cells per axis (8...4096).") var mapResolution: Int = 1024

    func validate() throws {
        try OptionCheck.require("--map-resolution", mapResolution, in: 8...4096)
        for item in runs { _ = try override(item) }
    }

    /// `LABEL=GLOB` split, the glob made absolute from the working directory.
    func override(_ item: String) throws -> (key: String, pattern: String) {
        let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else { throw ValidationError("--runs '\(item)' must be LABEL=GLOB") }
        let pattern = kv[1].hasPrefix("/") ? kv[1]
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(kv[1]).path
        return (kv[0], pattern)
    }

    /// The figures, with overrides checked against the series of `entries` (all figures when nil).
    func figures(checking numbers: [Int]? = nil) throws -> PaperFigures {
        let url = URL(fileURLWithPath: manifest)
        let resolvedRoot = root.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FigureManifest.projectRoot(of: url)
        var figures = PaperFigures(manifest: try FigureManifest.read(from: url), root: resolvedRoot)
        figures.mapResolution = mapResolution
        for item in runs {
            let (key, pattern) = try override(item)
            figures.runOverrides[key] = pattern
        }
        try figures.checkOverrides(figures: numbers)
        return figures
    }
}

struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure", abstract: "Draw one of the paper's figures (1-7) as PNG, PDF and SVG from the project's data.")

    @Argument(help: "Figure number.") var number: Int
    @OptionGroup var options: FigureOptions

    func run() throws {
        let written: [URL]
        do {
            written = try options.figures(checking: [number]).write(number, to: URL(fileURLWithPath: options.outDir)) { note in
                FileHandle.standardError.write(Data("note: \(note)\n".utf8))
            }
        } catch {
            // Whatever went wrong was configured in the manifest: say which one.
            guard !"\(error)".contains(options.manifest), !(error is ExitCode) else { throw error }
            throw CLIError("\(options.manifest): figure \(number): \(error)")
        }
        // Paths as given (not absolute), so notebook outputs are the same in every checkout.
        print("wrote " + written.map { (options.outDir as NSString).appendingPathComponent($0.lastPathComponent) }
            .joined(separator: ", "))
    }
}

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Draw every figure of the manifest whose data exists; list what is missing for the others.",
        discussion: "Exits 0 when every figure that has its data was drawn; with --strict, also fails when data is missing.")

    @OptionGroup var options: FigureOptions
    @Flag(help: "Fail when any figure's data is missing.") var strict = false

    func run() throws {
        let figures = try options.figures()
        var missing = 0
        for entry in figures.manifest.figures {
            do {
                let written = try figures.write(entry.number, to: URL(fileURLWithPath: options.outDir)) { note in
                    print("  note: \(note)")
                }
                print("figure \(entry.number): wrote " + written.map { $0.lastPathComponent }.joined(separator: ", "))
            } catch let error as FigureError {
                guard case .missingData = error else { throw error }
                missing += 1
                print("figure \(entry.number): not drawn: \(error)")
            }
        }
        if strict && missing > 0 { throw CLIError("\(missing) figures lack their data") }
    }
}
