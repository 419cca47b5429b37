import Foundation
import Varlink

/// `ssh-exec:HOST:COMMAND` and `ssh-unix:HOST:/PATH` (alias `ssh:`), as sd-varlink spells them,
/// turned into an `exec:` of ssh whose standard input and output are the connection.
///
/// The Varlink library starts `exec:` programs with the socket as fd 3; a one-line shell moves it
/// to stdin/stdout for ssh. `ssh-exec` runs COMMAND remotely with `SYSTEMD_VARLINK_LISTEN=-` (serve
/// on stdio); `ssh-unix` forwards to a remote socket with `ssh -W` (OpenSSH ≥ 9.4). `SYSTEMD_SSH`
/// names another ssh binary, as in systemd.
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
        let ssh = ProcessInfo.processInfo.environment["SYSTEMD_SSH"] ?? "ssh"
        let command: [String]
        if scheme == "ssh-exec:" {
            let words = target.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            command = [ssh, "-e", "none", "-T", host, "env", "SYSTEMD_VARLINK_LISTEN=-"] + words
        } else {
            guard target.hasPrefix("/") else {
                throw ToolError("Invalid address '\(text)': the socket path must be absolute", status: .usage)
            }
            command = [ssh, "-W", target, host]
        }
        // $0 is a placeholder name; "$@" is the ssh command line. The activation variables are for the
        // shell only and must not leak to the remote side.
        let script = "unset LISTEN_FDS LISTEN_PID LISTEN_FDNAMES LISTEN_PIDFDID; exec 0<&3 1>&3 3<&-; exec \"$@\""
        return .exec(program: "/bin/sh", arguments: ["-c", script, "varlink-ssh"] + command)
    }
}
