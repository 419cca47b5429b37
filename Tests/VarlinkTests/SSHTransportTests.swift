import Testing

@testable import Varlink

/// The one place ssh command lines are built (`varlink ssh-unix:`/`ssh-exec:`, `berthctl -H`).
@Suite("SSHTransport")
struct SSHTransportTests {
    private let script =
        "unset LISTEN_FDS LISTEN_PID LISTEN_FDNAMES LISTEN_PIDFDID; exec 0<&3 1>&3 3<&-; exec \"$@\""

    @Test("a host and a socket path become ssh -W through a shell that puts fd 3 on stdio")
    func unixSocket() throws {
        let address = try SSHTransport.unixSocket(host: "root@build-01", path: "/run/berth/io.berth.Portable")
        #expect(
            address
                == .exec(
                    program: "/bin/sh",
                    arguments: [
                        "-c", script, "varlink-ssh", "ssh", "-W", "/run/berth/io.berth.Portable", "root@build-01",
                    ]
                )
        )
    }

    @Test("ssh-exec runs the command remotely with SYSTEMD_VARLINK_LISTEN=-")
    func command() throws {
        let address = try SSHTransport.command(host: "h", command: "/usr/bin/berthd  --flag")
        #expect(
            address
                == .exec(
                    program: "/bin/sh",
                    arguments: [
                        "-c", script, "varlink-ssh", "ssh", "-e", "none", "-T", "h", "env", "SYSTEMD_VARLINK_LISTEN=-",
                        "/usr/bin/berthd", "--flag",
                    ]
                )
        )
    }

    @Test("ssh -V's OpenSSH release, which decides whether ssh -W reaches a socket")
    func versions() throws {
        let parsed = try #require(
            SSHTransport.parseVersion("OpenSSH_9.2p1 Debian-2+deb12u6, OpenSSL 3.0.19 27 Jan 2026\n")
        )
        #expect(parsed.major == 9 && parsed.minor == 2)
        let newer = try #require(SSHTransport.parseVersion("OpenSSH_10.0p2 Debian-7+deb13u4, OpenSSL 3.5.1\n"))
        #expect(newer.major == 10 && newer.minor == 0)
        #expect(SSHTransport.parseVersion("Dropbear v2022.83") == nil)
        // The ssh this machine has, asked for real.
        if let installed = SSHTransport.clientVersion() {
            #expect(
                SSHTransport.forwardsToSockets
                    == (installed.major > 9 || (installed.major == 9 && installed.minor >= 4))
            )
        } else {
            print("no OpenSSH client here: only the parser was checked")
        }
    }

    @Test("hosts ssh would read as options, empty hosts, relative paths and empty commands are refused")
    func refusals() {
        let cases: [(() throws(VarlinkAddressError) -> VarlinkAddress, String)] = [
            (
                { () throws(VarlinkAddressError) in try SSHTransport.unixSocket(host: "-oProxyCommand=x", path: "/s") },
                "'-oProxyCommand=x' is not a valid host"
            ),
            (
                { () throws(VarlinkAddressError) in try SSHTransport.unixSocket(host: "", path: "/s") },
                "'' is not a valid host"
            ),
            (
                { () throws(VarlinkAddressError) in try SSHTransport.unixSocket(host: "a b", path: "/s") },
                "'a b' is not a valid host"
            ),
            (
                { () throws(VarlinkAddressError) in try SSHTransport.unixSocket(host: "h", path: "run/s") },
                "the socket path must be absolute"
            ),
            (
                { () throws(VarlinkAddressError) in try SSHTransport.command(host: "h", command: "  ") },
                "the command is empty"
            ),
        ]
        for (make, reason) in cases {
            do {
                let address = try make()
                Issue.record("accepted: \(address)")
            } catch {
                #expect(error.reason == reason)
            }
        }
    }
}
