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

    /// The OpenSSH release of the ssh program (`ssh -V`: `OpenSSH_9.2p1 …`), nil when it is not
    /// OpenSSH, cannot be started or prints something else. Older than 9.4, `ssh -W /path` does not
    /// forward to a socket: it logs in and waits, so callers check first and say so instead.
    public static func clientVersion() -> (major: Int, minor: Int)? {
        guard let pair = try? Posix.unixStreamSocketPair(nonBlocking: false) else { return nil }
        defer { Posix.close(pair.0) }
        // The socket is the child's fd 3; the shell points ssh's stdout and stderr (where -V goes) at it.
        let child = try? Posix.spawnSocketActivated(
            path: "/bin/sh",
            arguments: ["-c", "exec \"$0\" -V 2>&3 1>&3 3>&-", ssh],
            environment: Posix.currentEnvironment(),
            socket: pair.1,
            descriptorName: "ssh-version"
        )
        Posix.close(pair.1)
        guard let child else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while output.count < 4096 {
            let result = buffer.withUnsafeMutableBytes { try? Posix.read(pair.0, into: $0) }
            guard case .done(let count) = result, count > 0 else { break }
            output += buffer[..<count]
        }
        _ = try? Posix.wait(for: child, block: true)
        return parseVersion(String(decoding: output, as: UTF8.self))
    }

    /// `OpenSSH_10.0p2 Debian-7, OpenSSL …` → (10, 0).
    static func parseVersion(_ text: String) -> (major: Int, minor: Int)? {
        guard let start = text.firstRange(of: "OpenSSH_")?.upperBound else { return nil }
        let digits = text[start...].prefix { $0.isNumber || $0 == "." }.split(separator: ".")
        guard digits.count >= 2, let major = Int(digits[0]), let minor = Int(digits[1]) else { return nil }
        return (major, minor)
    }

    /// Whether `ssh -W` reaches a socket (`ssh-unix:`) with this client: OpenSSH 9.4 or newer, or an
    /// ssh that is not OpenSSH (it is given the benefit of the doubt).
    public static var forwardsToSockets: Bool {
        guard let version = clientVersion() else { return true }
        return version.major > 9 || (version.major == 9 && version.minor >= 4)
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
