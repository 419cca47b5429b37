import Testing
import Varlink

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
