package import BerthClient

/// Prints changes exactly as portablectl does (on stderr, like systemd's `log_info`).
package enum ChangePrinter {
    package static func lines(for changes: [Portable.Change]) -> String {
        var output = ""
        for change in changes {
            let source = change.source ?? ""
            switch change.type {
            case .symlink:
                output += "Created symlink \(change.path) \u{2192} \(source).\n"
            case .copy:
                output += source.isEmpty ? "Copied \(change.path).\n" : "Copied \(source) \u{2192} \(change.path).\n"
            case .unlink, .rmdir:
                output += "Removed \(change.path).\n"
            case .write:
                output += "Written \(change.path).\n"
            case .mkdir:
                output += "Created directory \(change.path).\n"
            }
        }
        return output
    }

    /// The jobs `--now` queued, as portablectl prints them.
    package static func jobLines(for jobs: [Portable.Job]) -> String {
        jobs.map { "Queued \($0.path) to call \($0.method) on portable service \($0.unit).\n" }.joined()
    }

    /// The `[Install]` links enabling made or disabling removed, as portablectl 257/262 print PID 1's
    /// report (quoted, unlike the attach changes).
    package static func installLines(for changes: [Portable.Change]) -> String {
        var output = ""
        for change in changes {
            switch change.type {
            case .symlink:
                output += "Created symlink '\(change.path)' \u{2192} '\(change.source ?? "")'.\n"
            case .unlink, .rmdir:
                output += "Removed '\(change.path)'.\n"
            case .copy, .write, .mkdir:
                output += lines(for: [change])
            }
        }
        return output
    }
}
