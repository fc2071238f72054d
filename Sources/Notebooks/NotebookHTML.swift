import Foundation
import Ink

/// A notebook as one standalone HTML page (`driftlab notebook render NOTEBOOK --html OUT`): the
/// markdown rendered by Ink, with every figure the notebook links (`![](figures/fig5.png)`)
/// embedded as a `data:` URI, so the page can be mailed or opened anywhere without its folder.
public struct NotebookHTML: Sendable {
    /// The page.
    public let html: String
    /// Images embedded in the page, as the notebook links them.
    public let embedded: [String]
    /// Local images the notebook links that do not exist (left as links).
    public let missing: [String]

    /// Renders the notebook at `url`; images resolve against the notebook's folder.
    public static func render(fileAt url: URL) throws -> NotebookHTML {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw NotebookError.unreadable(file: url.relativePath, reason: error.localizedDescription)
        }
        return render(markdown: text, folder: url.absoluteURL.deletingLastPathComponent(),
                      fallbackTitle: url.deletingPathExtension().lastPathComponent)
    }

    /// Renders `markdown`, resolving relative image paths against `folder`.
    public static func render(markdown: String, folder: URL, fallbackTitle: String) -> NotebookHTML {
        let body = MarkdownParser().html(from: markdown)
        var embedded: [String] = [], missing: [String] = []
        let page = replacingImageSources(in: body) { source in
            guard !source.contains(":"), !source.hasPrefix("/") || FileManager.default.fileExists(atPath: source) else { return nil }
            let path = source.hasPrefix("/") ? URL(fileURLWithPath: source) : folder.appendingPathComponent(source.removingPercentEncoding ?? source)
            guard let data = try? Data(contentsOf: path) else {
                missing.append(source)
                return nil
            }
            embedded.append(source)
            return "data:\(mimeType(of: source));base64,\(data.base64EncodedString())"
        }
        let title = firstHeading(in: markdown) ?? fallbackTitle
        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="driftlab notebook render">
            <title>\(escaped(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            \(page)
            </main>
            </body>
            </html>

            """
        return NotebookHTML(html: html, embedded: embedded, missing: missing)
    }

    /// `html` with the `src` of every `<img>` replaced by `replacement(src)` where that is not nil.
    static func replacingImageSources(in html: String, _ replacement: (String) -> String?) -> String {
        var result = ""
        var rest = html[...]
        while let tag = rest.range(of: "<img ") {
            result += rest[..<tag.lowerBound]
            rest = rest[tag.lowerBound...]
            guard let open = rest.range(of: "src=\""), let close = rest[open.upperBound...].firstIndex(of: "\""),
                  let end = rest.firstIndex(of: ">"), open.lowerBound < end else {
                result += rest[..<tag.upperBound]
                rest = rest[tag.upperBound...]
                continue
            }
            let source = String(rest[open.upperBound..<close])
            result += rest[..<open.upperBound]
            result += replacement(unescaped(source)) ?? source
            rest = rest[close...]
        }
        return result + rest
    }

    static func firstHeading(in markdown: String) -> String? {
        markdown.split(separator: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)).trimmingCharacters(in: .whitespaces) }
    }

    static func mimeType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "svg": "image/svg+xml"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        default: "image/png"
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A readable page without external resources.
    static let style = """
        body { font-family: system-ui, sans-serif; line-height: 1.5; color: #222; margin: 0; }
        main { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
        pre { background: #f6f8fa; padding: 0.8rem; overflow-x: auto; border-radius: 4px; }
        code { font-family: ui-monospace, monospace; font-size: 0.9em; }
        img { max-width: 100%; height: auto; }
        table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
        """
}
