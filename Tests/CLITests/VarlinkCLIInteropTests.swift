import Foundation
import Testing

/// `varlink` against other implementations' servers: Go's certification server (Debian varlink-go).
@Suite(
    "varlink against other peers",
    .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"),
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: VarlinkCLIHarness.goCertification),
        "varlink-go-certification is not installed (Debian package varlink-go)"
    )
)
struct VarlinkCLIInteropTests {
    private func goService() throws -> VarlinkCLITestService {
        try VarlinkCLITestService(program: VarlinkCLIHarness.goCertification) { ["--varlink=unix:" + $0] }
    }

    @Test("info and introspect of the Go certification server")
    func goIntrospection() throws {
        let service = try goService()
        let info = try VarlinkCLIHarness.run(["info", service.address])
        #expect(info.status == 0, "\(info)")
        #expect(info.lines.contains("   Product: Certification"))
        let introspect = try VarlinkCLIHarness.run(["introspect", service.address, "org.varlink.certification.Test03"])
        #expect(introspect.status == 0, "\(introspect)")
        #expect(introspect.standardOutput.contains("method Test03("))
        let methods = try VarlinkCLIHarness.run(["list-methods", service.address, "org.varlink.certification"])
        #expect(methods.status == 0, "\(methods)")
        #expect(methods.lines.first == "org.varlink.certification.Start")
        #expect(methods.lines.contains("org.varlink.certification.End"))
    }

    @Test("certification Start, Test01 with typed validation, and a validation failure")
    func goCalls() throws {
        let service = try goService()
        let start = try VarlinkCLIHarness.run(["call", service.address, "org.varlink.certification.Start"])
        #expect(start.status == 0, "\(start)")
        let reply = try #require(try VarlinkCLIHarness.json(start.standardOutput) as? [String: Any])
        let clientID = try #require(reply["client_id"] as? String)
        let test01 = try VarlinkCLIHarness.run([
            "call", service.address, "org.varlink.certification.Test01", #"{"client_id":"\#(clientID)"}"#,
        ])
        #expect(test01.status == 0, "\(test01)")
        #expect(test01.lines == [#"{"bool":true}"#])
        let wrong = try VarlinkCLIHarness.run([
            "call", service.address, "org.varlink.certification.Test02", #"{"client_id":"\#(clientID)","bool":1}"#,
        ])
        #expect(wrong.status == 3, "\(wrong)")
    }
}
