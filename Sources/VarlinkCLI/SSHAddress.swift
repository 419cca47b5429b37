import Varlink

/// `ssh-exec:HOST:COMMAND` and `ssh-unix:HOST:/PATH` (alias `ssh:`), as sd-varlink spells them;
/// the Varlink library's `SSHTransport` turns them into an `exec:` of ssh.
enum SSHAddress {
    /// The exec address for `text`, `nil` when it is not an ssh address.
    static func parse(_ text: String) throws(ToolError) -> VarlinkAddress? {
        let schemes = ["ssh-exec:", "ssh-unix:", "ssh:"]
        guard let scheme = schemes.first(where: text.hasPrefix) else { return nil }
        let rest = text.dropFirst(scheme.count)
        guard let colon = rest.firstIndex(of: ":"), colon != rest.startIndex else {
            throw ToolError("Invalid address '\(text)': expected \(scheme)HOST:…", status: .usage)
        }
        let host = String(rest[..<colon])
        let target = String(rest[rest.index(after: colon)...])
        guard !target.isEmpty, !host.hasPrefix("-") else {
            throw ToolError("Invalid address '\(text)': expected \(scheme)HOST:…", status: .usage)
        }
        do {
            if scheme == "ssh-exec:" { return try SSHTransport.command(host: host, command: target) }
            return try SSHTransport.unixSocket(host: host, path: target)
        } catch {
            throw ToolError("Invalid address '\(text)': \(error.reason)", status: .usage)
        }
    }
}
