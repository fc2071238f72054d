import Foundation

/// File patterns in notebook commands (`runs summary ../data/runs/breakout-ppo/*.h5`), expanded
/// as a shell would: relative to the notebook's folder, matches sorted, and the paths kept
/// relative as written, so a notebook's outputs read the same in every checkout. A pattern
/// that matches nothing stays as it is (as in bash), so the command names it in its error.
public enum GlobExpansion {
    /// `command`'s arguments with every pattern replaced by its matches in `directory`.
    public static func arguments(of command: NotebookCommand, in directory: URL) -> [String] {
        guard !command.patterns.isEmpty else { return command.arguments }
        var result: [String] = []
        for (index, argument) in command.arguments.enumerated() {
            guard command.patterns.contains(index) else {
                result.append(argument)
                continue
            }
            let matches = self.matches(argument, in: directory)
            result += matches.isEmpty ? [argument] : matches
        }
        return result
    }

    /// The paths matching `pattern` (relative to `directory` unless absolute), sorted.
    public static func matches(_ pattern: String, in directory: URL) -> [String] {
        let absolute = pattern.hasPrefix("/")
        let prefix = directory.path.hasSuffix("/") ? directory.path : directory.path + "/"
        var found = glob_t()
        defer { globfree(&found) }
        guard glob(absolute ? pattern : prefix + pattern, 0, nil, &found) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(found.gl_pathc) {
            guard let raw = found.gl_pathv[i] else { continue }
            let path = String(cString: raw)
            paths.append(absolute || !path.hasPrefix(prefix) ? path : String(path.dropFirst(prefix.count)))
        }
        return paths.sorted()
    }
}
