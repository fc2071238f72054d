import ArgumentParser
import Figures
import Foundation

/// Options shared by `figure` and `figures`.
struct FigureOptions: ParsableArguments {
    @Option(help: "Figure manifest (what each figure is drawn from; default: DATA-DIR/figures.json).") var manifest: String?
    @Option(help: """
        The project's data folder (default: ./data, else the data folder of the checkout this binary was built in); \
        the manifest's paths are relative to the folder that holds it.
        """, completion: .directory) var dataDir: String?
    @Option(help: "Output folder.") var outDir: String = "figures"
    @Option(help: "Override a series' run files: LABEL=GLOB or PANEL/LABEL=GLOB (repeatable; relative to the working directory), e.g. 'PPO=runs/ant-ppo-*.h5'.")
    var runs: [String] = []
    @Option(help: "Folder the manifest's relative paths resolve from (default: the project root holding the manifest, else the working directory).")
    var root: String?
    @Option(parsing: .unconditional, help: "Heat-map cells per axis (8...4096).") var mapResolution: Int = 1024
    @Flag(help: """
        Draw a training-curve figure whose series are not all there yet, leaving those out (the title says \
        draft): for watching a sweep fill a figure. Write drafts to another --out-dir.
        """) var draft = false

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

    /// The manifest: `--manifest`, `--data-dir`/figures.json, ./data/figures.json, or that of
    /// the checkout holding this binary (so `figure N` works from any folder).
    func manifestURL() throws -> URL {
        if let manifest { return URL(fileURLWithPath: manifest) }
        if let dataDir {
            let url = URL(fileURLWithPath: dataDir, isDirectory: true).appendingPathComponent("figures.json")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CLIError("--data-dir '\(dataDir)' has no figures.json: give the data folder of a DriftLab checkout")
            }
            return url
        }
        let here = URL(fileURLWithPath: "data/figures.json")
        if FileManager.default.fileExists(atPath: here.path) { return here }
        if let checkout = Self.checkoutOfThisBinary() { return checkout.appendingPathComponent("data/figures.json") }
        throw CLIError("no data/figures.json under \(FileManager.default.currentDirectoryPath): run from the DriftLab "
                       + "checkout, or give --data-dir CHECKOUT/data (or --manifest FILE)")
    }

    /// The DriftLab checkout this binary was built in (`CHECKOUT/.build/.../driftlab`), if it
    /// still has its data.
    static func checkoutOfThisBinary() -> URL? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("data/figures.json").path),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// The figures, with overrides checked against the series of `entries` (all figures when nil).
    func figures(checking numbers: [Int]? = nil) throws -> PaperFigures {
        let url = try manifestURL()
        // A data folder given by itself: the manifest's paths (data/...) start beside it.
        let dataRoot = manifest == nil && dataDir != nil ? url.deletingLastPathComponent().deletingLastPathComponent() : nil
        let resolvedRoot = root.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? dataRoot ?? FigureManifest.projectRoot(of: url)
        var figures = PaperFigures(manifest: try FigureManifest.read(from: url), root: resolvedRoot)
        figures.mapResolution = mapResolution
        figures.draft = draft
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
            let manifest = (try? options.manifestURL().relativePath) ?? "the manifest"
            guard !"\(error)".contains(manifest), !(error is ExitCode), !(error is CLIError) else { throw error }
            throw CLIError("\(manifest): figure \(number): \(error)")
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
