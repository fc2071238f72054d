import ArgumentParser
import TaskCatalog

/// "Did you mean" for a misspelt subcommand. ArgumentParser takes an unknown word after
/// `driftlab` for a stray argument and then complains about the options that follow it
/// (`driftlab trian --env cartpole` says "Unknown option '--env'"), so the words naming
/// subcommands are checked against the command tree before parsing.
enum SubcommandCheck {
    /// The error for the first word of `arguments` that should name a subcommand and does
    /// not, or nil when every such word does.
    static func error(for arguments: [String], root: any ParsableCommand.Type = DriftLab.self) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "driftlab"]
        for word in arguments {
            // Options end the subcommand words; so does `help` (ArgumentParser's own).
            if word.hasPrefix("-") || word == "help" { return nil }
            let configuration = command.configuration
            guard !configuration.subcommands.isEmpty else { return nil }
            let names = configuration.subcommands.map { $0.configuration.commandName ?? "\($0)" }
            guard let index = names.firstIndex(of: word) else {
                // A command with a default subcommand takes other words as that one's arguments.
                if configuration.defaultSubcommand != nil { return nil }
                return "unknown command '\(word)' for '\(path.joined(separator: " "))'" + NameSuggestion.hint(for: word, in: names)
                    + "; commands: " + names.joined(separator: ", ")
            }
            command = configuration.subcommands[index]
            path.append(word)
        }
        return nil
    }
}
