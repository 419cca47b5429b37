import Foundation
import Testing
import VarlinkIDL

@Suite("IDL semantic checks and diagnostics")
struct IDLCheckerTests {
    /// Each negative fixture starts with `# expect LINE:COLUMN: message fragment`.
    @Test("every negative fixture is rejected at the expected place", arguments: IDLFixtures.names(in: "invalid"))
    func rejects(_ name: String) throws {
        let text = try IDLFixtures.text(name)
        let header = try #require(text.split(separator: "\n").first).dropFirst("# expect ".count)
        let parts = header.split(separator: ":", maxSplits: 2)
        let line = Int(parts[0])
        let column = Int(parts[1])
        let fragment = parts[2].trimmingCharacters(in: .whitespaces)
        let error = #expect(throws: IDLError.self) { try IDLParser.parse(text, fileName: name) }
        let first = try #require(error?.first)
        #expect(first.location.line == line, "\(first)")
        #expect(first.location.column == column, "\(first)")
        #expect(first.message.contains(fragment), "\(first)")
        #expect(first.description.hasPrefix("\(name):\(line ?? 0):\(column ?? 0): error: "))
    }

    @Test("all semantic errors are collected, not just the first")
    func collectsAll() {
        let text = """
            interface org.example.many
            type A (x: int, x: int)
            type A (one, one)
            method b(y: Missing) -> ()
            """
        var diagnostics = DiagnosticList()
        let interface = IDLParser.parse(text, fileName: "many.varlink", diagnostics: &diagnostics)
        #expect(interface != nil)
        #expect(diagnostics.errors.count == 5)
        #expect(diagnostics.errors.map(\.location.line) == [3, 4, 2, 3, 4])
    }

    @Test(
        "name rules follow the specification",
        arguments: [
            ("org.varlink.service", true), ("io.systemd", true), ("a.b", true), ("org.example.a-b", true),
            ("xn--bcher-kva.example", true), ("org.1example", true), ("org.example--x.y", true),
            ("org", false), ("1org.x", false), ("org.-x", false), ("org.x-", false), ("org..x", false),
            ("org.x.", false), (".org.x", false), ("org.ex_ample", false), ("", false),
        ]
    )
    func interfaceNames(_ name: String, _ valid: Bool) {
        #expect((IDLNameRules.interfaceNameProblem(name) == nil) == valid, "\(name)")
    }

    @Test(
        "field and member names",
        arguments: [
            ("a", true, false), ("client_id", true, false), ("a1_b2", true, false), ("A", true, true),
            ("_a", false, false), ("a_", false, false), ("a__b", false, false), ("1a", false, false),
            ("a-b", false, false),
            ("Ab1", true, true), ("aB", true, false),
        ]
    )
    func fieldNames(_ name: String, _ validField: Bool, _ validMember: Bool) {
        #expect((IDLNameRules.fieldNameProblem(name) == nil) == validField, "\(name)")
        #expect((IDLNameRules.memberNameProblem(name) == nil) == validMember, "\(name)")
    }

    @Test("systemd-strict lint flags what sd-varlink rejects, and only that")
    func systemdCompatibility() throws {
        let certification = try IDLParser.parse(try IDLFixtures.text("org.varlink.certification.varlink"))
        let warnings = IDLSystemdCompatibility.check(certification)
        #expect(warnings.contains { $0.message.contains("'stringset' uses an inline empty '()'") })
        #expect(warnings.contains { $0.message.contains("nests containers") })
        for name in IDLFixtures.names(in: "systemd") + ["io.berth.Portable"] {
            let text = name == "io.berth.Portable" ? try IDLFixtures.portableInterface() : try IDLFixtures.text(name)
            #expect(IDLSystemdCompatibility.check(try IDLParser.parse(text)).isEmpty, "\(name)")
        }
    }
}
