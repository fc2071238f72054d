import Foundation
import Notebooks
import TestSupport

/// A scripted command runner: records every call and answers with `respond` (by default it echoes the
/// arguments on stdout, like `/bin/echo`).
final class FakeRunner: NotebookCommandRunner {
    var calls: [String] = []
    var respond: ([String], URL) -> NotebookCommandResult
    var respondShell: (String, URL) -> NotebookCommandResult

    init(respond: @escaping ([String], URL) -> NotebookCommandResult = { arguments, _ in
             NotebookCommandResult(status: 0, standardOutput: arguments.joined(separator: " ") + "\n")
         },
         respondShell: @escaping (String, URL) -> NotebookCommandResult = { script, _ in
             NotebookCommandResult(status: 0, standardOutput: "ran: " + script)
         }) {
        self.respond = respond
        self.respondShell = respondShell
    }

    func runDriftLab(arguments: [String], in directory: URL) throws -> NotebookCommandResult {
        calls.append(arguments.joined(separator: " "))
        return respond(arguments, directory)
    }

    func runShell(script: String, in directory: URL) throws -> NotebookCommandResult {
        calls.append("sh: " + script)
        return respondShell(script, directory)
    }
}

/// Writes `text` as `name` in a fresh temporary folder and returns its URL.
func writeNotebook(_ text: String, name: String = "demo.md") throws -> URL {
    let folder = temporaryDirectory("driftlab-notebook")
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

func readText(_ url: URL) throws -> String {
    String(decoding: try Data(contentsOf: url), as: UTF8.self)
}

func occurrences(of needle: String, in haystack: String) -> Int {
    haystack.components(separatedBy: needle).count - 1
}
