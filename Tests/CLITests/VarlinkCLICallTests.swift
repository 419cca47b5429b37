import Foundation
import Testing

/// `varlink call` in every mode against the python reference service.
@Suite(
    "varlink call",
    .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"),
    .enabled(if: VarlinkCLIHarness.pythonVarlinkAvailable, "python3 with the varlink module is missing")
)
struct VarlinkCLICallTests {
    @Test("parameters from the argument, short JSON when not on a terminal")
    func callWithArgument() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run([
            "call", service.address, "org.example.cli.Echo", #"{"text":"hi","count":2,"shape":{"kind":"circle"}}"#,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.count == 1)
        let reply = try #require(try VarlinkCLIHarness.json(result.standardOutput) as? [String: Any])
        #expect(reply["text"] as? String == "hi")
        #expect(reply["count"] as? Int == 2)
        #expect((reply["shape"] as? [String: Any])?["kind"] as? String == "circle")
    }

    @Test("parameters from standard input with '-', pretty output on request")
    func callWithStandardInput() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(
            ["call", "--json=pretty", service.address, "org.example.cli.Echo", "-"],
            input: "{\n  \"text\": \"from stdin\"\n}\n"
        )
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.count > 1)
        #expect(result.lines.contains(#"  "text": "from stdin","#) || result.lines.contains(#"  "text": "from stdin""#))
    }

    @Test("--more prints each reply as it arrives")
    func more() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run([
            "call", "--more", service.address, "org.example.cli.Count", #"{"n":3}"#,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"{"i":1}"#, #"{"i":2}"#, #"{"i":3}"#])
    }

    @Test("-E streams without a timeout")
    func moreForever() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["call", "-E", service.address, "org.example.cli.Count", #"{"n":2}"#])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"{"i":1}"#, #"{"i":2}"#])
    }

    @Test("--collect prints all replies as one array")
    func collect() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run([
            "call", "--collect", service.address, "org.example.cli.Count", #"{"n":3}"#,
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"[{"i":1},{"i":2},{"i":3}]"#])
    }

    @Test("a streaming method called plainly answers once")
    func plainCallOfStreamingMethod() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["call", service.address, "org.example.cli.Count", #"{"n":3}"#])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"{"i":3}"#])
    }

    @Test("--quiet prints no reply; the exit status still tells failures")
    func quiet() throws {
        let service = try VarlinkCLITestService.python()
        let success = try VarlinkCLIHarness.run([
            "call", "-q", service.address, "org.example.cli.Echo", #"{"text":"x"}"#,
        ])
        #expect(success.status == 0 && success.standardOutput.isEmpty, "\(success)")
        let failure = try VarlinkCLIHarness.run([
            "call", "-q", service.address, "org.example.cli.Fail", #"{"reason":"r"}"#,
        ])
        #expect(failure.status == 1 && failure.standardOutput.isEmpty, "\(failure)")
        #expect(failure.standardError.contains("org.example.cli.Failed"))
    }

    @Test("--oneway sends without waiting and prints nothing")
    func oneway() throws {
        let service = try VarlinkCLITestService.python()
        let note = try VarlinkCLIHarness.run([
            "call", "--oneway", service.address, "org.example.cli.Note", #"{"text":"x1"}"#,
        ])
        #expect(note.status == 0, "\(note)")
        #expect(note.standardOutput.isEmpty)
        // Notes blocks until the oneway call has been processed, so this is not a race.
        let notes = try VarlinkCLIHarness.run(["call", service.address, "org.example.cli.Notes"])
        #expect(notes.status == 0, "\(notes)")
        #expect(notes.lines == [#"{"notes":["x1"]}"#])
    }

    @Test("a Varlink error exits 1 with one line and its parameters as JSON")
    func remoteError() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["call", service.address, "org.example.cli.Fail", #"{"reason":"boom"}"#])
        #expect(result.status == 1, "\(result)")
        #expect(result.lines == [#"{"reason":"boom"}"#])
        #expect(
            result.standardError
                == "varlink: Method call org.example.cli.Fail() failed: org.example.cli.Failed\n"
        )
    }

    @Test("--graceful turns the named error into success, other errors still fail")
    func graceful() throws {
        let service = try VarlinkCLITestService.python()
        let arguments = [service.address, "org.example.cli.Fail", #"{"reason":"ok"}"#]
        let matched = try VarlinkCLIHarness.run(["call", "--graceful=org.example.cli.Failed"] + arguments)
        #expect(matched.status == 0, "\(matched)")
        #expect(matched.lines == [#"{"reason":"ok"}"#])
        let quiet = try VarlinkCLIHarness.run(["call", "-q", "--graceful=org.example.cli.Failed"] + arguments)
        #expect(quiet.status == 0 && quiet.standardError.isEmpty && quiet.standardOutput.isEmpty, "\(quiet)")
        let other = try VarlinkCLIHarness.run(["call", "--graceful=org.example.cli.Other"] + arguments)
        #expect(other.status == 1, "\(other)")
    }

    @Test("exec: starts the service on a socketpair")
    func execAddress() throws {
        let address = "exec:" + VarlinkCLIHarness.fixtureServer.path
        let info = try VarlinkCLIHarness.run(["list-interfaces", address])
        #expect(info.status == 0, "\(info)")
        #expect(info.lines == ["org.varlink.service", "org.example.cli"])
        let call = try VarlinkCLIHarness.run(["call", "--collect", address, "org.example.cli.Count", #"{"n":2}"#])
        #expect(call.status == 0, "\(call)")
        #expect(call.lines == [#"[{"i":1},{"i":2}]"#])
    }

    @Test("ssh-exec: runs the command through ssh with the connection on its stdio")
    func sshExecAddress() throws {
        // A stand-in for ssh (via SYSTEMD_SSH, as systemd honours it): drops the options and the host and
        // runs the remote command line locally, which is what ssh does on the far side.
        let directory = try VarlinkCLITemporaryDirectory()
        let fakeSSH = directory.url.appendingPathComponent("ssh")
        try """
        #!/bin/sh
        while [ "$1" = "-e" ] || [ "$1" = "-T" ]; do [ "$1" = "-e" ] && shift; shift; done
        shift
        exec "$@"
        """.write(to: fakeSSH, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeSSH.path)
        let address = "ssh-exec:remotehost:" + VarlinkCLIHarness.fixtureServer.path
        let result = try VarlinkCLIHarness.run(
            ["call", "--collect", address, "org.example.cli.Count", #"{"n":2}"#],
            environment: ["SYSTEMD_SSH": fakeSSH.path]
        )
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"[{"i":1},{"i":2}]"#])
        let malformed = try VarlinkCLIHarness.run(["info", "ssh-exec:hostonly"])
        #expect(malformed.status == 64, "\(malformed)")
    }
}
