/// Prints change records exactly as portablectl does (on stderr, like systemd's `log_info`).
package enum ChangePrinter {
    package static func lines(for changes: [ChangeRecord]) -> String {
        var output = ""
        for change in changes {
            switch change.type {
            case "symlink":
                output += "Created symlink \(change.path) \u{2192} \(change.source).\n"
            case "copy":
                if change.source.isEmpty {
                    output += "Copied \(change.path).\n"
                } else {
                    output += "Copied \(change.source) \u{2192} \(change.path).\n"
                }
            case "unlink", "rmdir":
                output += "Removed \(change.path).\n"
            case "write":
                output += "Written \(change.path).\n"
            case "mkdir":
                output += "Created directory \(change.path).\n"
            default:
                output += "Unexpected change: \(change.type)/\(change.path)/\(change.source)\n"
            }
        }
        return output
    }
}
