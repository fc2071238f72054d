/// A one-line error for the user; ArgumentParser prints it as `Error: ...` and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
