/// One change PID 1 made while enabling or disabling unit files (`a(sss)` on the bus).
package struct UnitFileChange: Sendable, Equatable, CustomStringConvertible {
    /// `symlink` or `unlink` (PID 1 may report others, such as `is-mask`, passed on verbatim).
    package var type: String
    /// The link that was created or removed.
    package var path: String
    /// For `symlink`, the link target.
    package var source: String?

    package init(type: String, path: String, source: String?) {
        self.type = type
        self.path = path
        self.source = source
    }

    /// What `systemctl enable`/`portablectl --enable` print for it.
    package var description: String {
        switch type {
        case "symlink": return "Created symlink \(path) → \(source ?? "")."
        case "unlink": return "Removed \"\(path)\"."
        default: return "\(type) \(path)\(source.map { " → \($0)" } ?? "")"
        }
    }
}
