import Foundation
import Testing

/// `varlink` against Berth's own server library (`varlink-bench-server`, built with the package).
@Suite(
    "varlink against varlink-bench-server",
    .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: VarlinkCLIHarness.benchServer.path),
        "varlink-bench-server is not built"
    )
)
struct VarlinkCLIBenchServerTests {
    private func service() throws -> VarlinkCLITestService {
        try VarlinkCLITestService(program: VarlinkCLIHarness.benchServer.path) { ["--listen=unix:" + $0] }
    }

    @Test("introspection and a plain call")
    func introspectionAndPing() throws {
        let service = try service()
        let interfaces = try VarlinkCLIHarness.run(["list-interfaces", service.address])
        #expect(interfaces.status == 0, "\(interfaces)")
        #expect(interfaces.lines == ["org.varlink.service", "org.example.bench"])
        let methods = try VarlinkCLIHarness.run(["list-methods", service.address, "org.example.bench"])
        #expect(methods.lines == ["org.example.bench.Ping", "org.example.bench.Stream"], "\(methods)")
        let ping = try VarlinkCLIHarness.run(["call", service.address, "org.example.bench.Ping", #"{"ping":"p"}"#])
        #expect(ping.status == 0, "\(ping)")
        #expect(ping.lines == [#"{"pong":"p"}"#])
    }

    @Test("streaming with --more and --collect")
    func streaming() throws {
        let service = try service()
        let more = try VarlinkCLIHarness.run([
            "call", "--more", service.address, "org.example.bench.Stream", #"{"count":3}"#,
        ])
        #expect(more.status == 0, "\(more)")
        #expect(more.lines == [#"{"index":0}"#, #"{"index":1}"#, #"{"index":2}"#])
        let collect = try VarlinkCLIHarness.run([
            "call", "--collect", service.address, "org.example.bench.Stream", #"{"count":2}"#,
        ])
        #expect(collect.lines == [#"[{"index":0},{"index":1}]"#], "\(collect)")
    }

    @Test("the server's MethodNotFound (full name) exits 2")
    func unknownMethod() throws {
        let service = try service()
        let result = try VarlinkCLIHarness.run(["call", "--no-validate", service.address, "org.example.bench.Nope"])
        #expect(result.status == 2, "\(result)")
        #expect(result.lines == [#"{"method":"org.example.bench.Nope"}"#])
    }

    @Test(
        "exec: socket-activates Berth's certification server",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: VarlinkCLIHarness.certificationServer.path),
            "varlink-certification is not built"
        )
    )
    func execActivation() throws {
        let address = "exec:" + VarlinkCLIHarness.certificationServer.path
        let info = try VarlinkCLIHarness.run(["list-interfaces", address])
        #expect(info.status == 0, "\(info)")
        #expect(info.lines == ["org.varlink.service", "org.varlink.certification"])
        let start = try VarlinkCLIHarness.run(["call", address, "org.varlink.certification.Start"])
        #expect(start.status == 0, "\(start)")
        #expect(start.standardOutput.contains("client_id"))
    }
}
