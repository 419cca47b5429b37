import Foundation
import Testing

/// `info`, `list-interfaces`, `list-methods`, `introspect` against the python reference service.
@Suite(
    "varlink introspection verbs",
    .enabled(if: VarlinkCLIHarness.binaryExists, "the varlink binary is not built"),
    .enabled(if: VarlinkCLIHarness.pythonVarlinkAvailable, "python3 with the varlink module is missing")
)
struct VarlinkCLIIntrospectionTests {
    @Test("info prints the GetInfo table")
    func infoTable() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["info", service.address])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.contains("    Vendor: Berth"))
        #expect(result.lines.contains("   Product: varlink CLI test server"))
        #expect(result.lines.contains("Interfaces: org.varlink.service"))
        #expect(result.lines.contains("            org.example.cli"))
    }

    @Test("info --json=short prints the raw reply on one line")
    func infoJSON() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["info", "--json=short", service.address])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.count == 1)
        let reply = try #require(try VarlinkCLIHarness.json(result.standardOutput) as? [String: Any])
        #expect(reply["vendor"] as? String == "Berth")
        #expect(reply["interfaces"] as? [String] == ["org.varlink.service", "org.example.cli"])
    }

    @Test("list-interfaces prints one name per line, unix: prefix accepted")
    func listInterfaces() throws {
        let service = try VarlinkCLITestService()
        let result = try VarlinkCLIHarness.run(["list-interfaces", "unix:" + service.address])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == ["org.varlink.service", "org.example.cli"])
    }

    @Test("list-interfaces over an abstract socket, bare and with unix:")
    func abstractAddress() throws {
        let service = try VarlinkCLITestService(abstract: true)
        #expect(service.address.hasPrefix("@"))
        for address in [service.address, "unix:" + service.address] {
            let result = try VarlinkCLIHarness.run(["list-interfaces", address])
            #expect(result.status == 0, "\(result)")
            #expect(result.lines == ["org.varlink.service", "org.example.cli"])
        }
    }

    @Test("list-methods of one interface, and of all")
    func listMethods() throws {
        let service = try VarlinkCLITestService.python()
        let one = try VarlinkCLIHarness.run(["list-methods", service.address, "org.example.cli"])
        #expect(one.status == 0, "\(one)")
        #expect(
            one.lines == [
                "org.example.cli.Echo", "org.example.cli.Count", "org.example.cli.Fail", "org.example.cli.Drop",
                "org.example.cli.Hang", "org.example.cli.Note", "org.example.cli.Notes",
            ]
        )
        let all = try VarlinkCLIHarness.run(["list-methods", "--json=short", service.address])
        #expect(all.status == 0, "\(all)")
        let names = try #require(try VarlinkCLIHarness.json(all.standardOutput) as? [String])
        #expect(names.contains("org.varlink.service.GetInterfaceDescription"))
        #expect(names.contains("org.example.cli.Notes"))
    }

    @Test("introspect re-renders a whole interface")
    func introspectInterface() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["introspect", service.address, "org.example.cli"])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.first == "# Test interface of the varlink CLI tests.")
        #expect(result.lines.contains("interface org.example.cli"))
        #expect(result.lines.contains("# [Supports 'more' flag]"))
        #expect(result.standardOutput.contains("error Failed("))
    }

    @Test("introspect one method, and one type")
    func introspectMember() throws {
        let service = try VarlinkCLITestService.python()
        let method = try VarlinkCLIHarness.run(["introspect", service.address, "org.example.cli.Count"])
        #expect(method.status == 0, "\(method)")
        #expect(method.lines.first == "# Counts from 1 to n, one reply each.")
        #expect(method.standardOutput.contains("method Count("))
        #expect(!method.standardOutput.contains("interface "))
        #expect(!method.standardOutput.contains("Echo"))
        let type = try VarlinkCLIHarness.run(["introspect", service.address, "org.example.cli.Shape"])
        #expect(type.status == 0, "\(type)")
        #expect(type.standardOutput.hasPrefix("type Shape("))
    }

    @Test("introspect --json prints the raw description replies")
    func introspectJSON() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["introspect", "--json=short", service.address, "org.example.cli"])
        #expect(result.status == 0, "\(result)")
        let reply = try #require(try VarlinkCLIHarness.json(result.standardOutput) as? [String: Any])
        #expect((reply["description"] as? String)?.hasPrefix("# Test interface") == true)
    }

    @Test("introspect of an unknown interface or member exits 2")
    func introspectUnknown() throws {
        let service = try VarlinkCLITestService.python()
        let interface = try VarlinkCLIHarness.run(["introspect", service.address, "org.example.nope"])
        #expect(interface.status == 2, "\(interface)")
        #expect(interface.standardError.contains("org.example.nope"))
        let member = try VarlinkCLIHarness.run(["introspect", service.address, "org.example.cli.Nope"])
        #expect(member.status == 2, "\(member)")
        #expect(member.standardError.split(separator: "\n").count == 1)
    }

    @Test("options may precede the verb, as varlinkctl allows")
    func leadingOptions() throws {
        let service = try VarlinkCLITestService.python()
        let result = try VarlinkCLIHarness.run(["--json", "short", "--timeout=5", "list-interfaces", service.address])
        #expect(result.status == 0, "\(result)")
        #expect(result.lines == [#"["org.varlink.service","org.example.cli"]"#])
    }
}
