/// Quoting for the generated shell scripts and roff.
package enum ShellQuoting {
    /// `text` as one single-quoted shell word.
    package static func singleQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// `name` with every character a shell function name cannot hold replaced by `_`.
    package static func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}
