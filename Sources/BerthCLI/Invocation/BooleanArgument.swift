/// Boolean arguments as systemd reads them (`read-only IMAGE [BOOL]`).
package enum BooleanArgument {
    /// systemd's `parse_boolean`.
    package static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "yes", "y", "true", "t", "on": return true
        case "0", "no", "n", "false", "f", "off": return false
        default: return nil
        }
    }
}
