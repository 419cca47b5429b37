import SystemCalls

/// Varlink over ssh, as sd-varlink's `ssh-exec:` and `ssh-unix:` addresses do it: an `exec:` of ssh
/// whose standard input and output are the connection. One place builds these command lines, for
/// `varlink` (the addresses) and `berthctl -H` (a host), so both fail and behave alike.
///
/// The library starts `exec:` programs with the socket as fd 3; a one-line shell moves it to
/// stdin/stdout for ssh. `SYSTEMD_SSH` names another ssh binary, as in systemd.
public enum SSHTransport {
    /// `ssh-unix:HOST:/PATH`: forwards to a socket on `host` with `ssh -W` (OpenSSH ≥ 9.4).
    /// `host` is `[USER@]HOST`; a leading `-` would be read as an option by ssh, so it is refused.
    public static func unixSocket(host: String, path: String) throws(VarlinkAddressError) -> VarlinkAddress {
        try checked(host: host, spelling: "ssh-unix:\(host):\(path)")
        guard path.hasPrefix("/") else {
            throw VarlinkAddressError(address: "ssh-unix:\(host):\(path)", reason: "the socket path must be absolute")
        }
        return wrapped([ssh, "-W", path, host])
    }

    /// `ssh-exec:HOST:COMMAND`: runs COMMAND on `host` with `SYSTEMD_VARLINK_LISTEN=-` (serve on stdio).
    public static func command(host: String, command: String) throws(VarlinkAddressError) -> VarlinkAddress {
        try checked(host: host, spelling: "ssh-exec:\(host):\(command)")
        let words = command.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !words.isEmpty else {
            throw VarlinkAddressError(address: "ssh-exec:\(host):\(command)", reason: "the command is empty")
        }
        return wrapped([ssh, "-e", "none", "-T", host, "env", "SYSTEMD_VARLINK_LISTEN=-"] + words)
    }

    /// The ssh program: `$SYSTEMD_SSH`, else `ssh` from `PATH`.
    static var ssh: String {
        let chosen = Posix.currentEnvironment().last { $0.hasPrefix("SYSTEMD_SSH=") }?.dropFirst(12) ?? ""
        return chosen.isEmpty ? "ssh" : String(chosen)
    }

    private static func checked(host: String, spelling: String) throws(VarlinkAddressError) {
        guard !host.isEmpty, !host.hasPrefix("-"), !host.contains(where: { $0 == " " || $0.isNewline }) else {
            throw VarlinkAddressError(address: spelling, reason: "'\(host)' is not a valid host")
        }
    }

    private static func wrapped(_ command: [String]) -> VarlinkAddress {
        // $0 is a placeholder name; "$@" is the ssh command line. The activation variables are for the
        // shell only and must not leak to the remote side.
        let script = "unset LISTEN_FDS LISTEN_PID LISTEN_FDNAMES LISTEN_PIDFDID; exec 0<&3 1>&3 3<&-; exec \"$@\""
        return .exec(program: "/bin/sh", arguments: ["-c", script, "varlink-ssh"] + command)
    }
}
