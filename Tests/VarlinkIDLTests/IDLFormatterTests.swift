import Testing
import VarlinkIDL

@Suite("IDL formatter")
struct IDLFormatterTests {
    @Test("systemd's published descriptions are already canonical", arguments: IDLFixtures.names(in: "systemd"))
    func systemdTextIsCanonical(_ name: String) throws {
        let text = try IDLFixtures.text(name)
        #expect(try IDLFormatter.format(text) == text)
    }

    @Test("formatting is idempotent and keeps the AST", arguments: IDLFixtures.validInterfaces + ["portable"])
    func idempotent(_ name: String) throws {
        let text = name == "portable" ? try IDLFixtures.portableInterface() : try IDLFixtures.text(name)
        let once = try IDLFormatter.format(text)
        #expect(try IDLFormatter.format(once) == once)
        let original = try IDLParser.parse(text)
        let reparsed = try IDLParser.parse(once)
        #expect(IDLFormatter.format(original) == IDLFormatter.format(reparsed))
        #expect(reparsed.members.map(\.name) == original.members.map(\.name))
        #expect(reparsed.members.map(\.documentation) == original.members.map(\.documentation))
    }

    @Test("io.berth.Portable formats as systemd 257 renders it, up to systemd's member order")
    func portableMatchesSystemd() throws {
        let ours = try IDLFormatter.format(try IDLFixtures.portableInterface())
        let systemd = try IDLFixtures.text("formatted/io.berth.Portable.systemd257.varlink")
        // systemd prints enum types first and drops empty comment lines; compare member by member.
        let oursMembers = Set(
            try IDLParser.parse(ours).members.map { IDLFormatter.format(IDLInterface(name: "a.b", members: [$0])) }
        )
        let systemdMembers = Set(
            try IDLParser.parse(systemd).members.map { IDLFormatter.format(IDLInterface(name: "a.b", members: [$0])) }
        )
        #expect(oursMembers == systemdMembers)
    }

    @Test("layout: tabs, one field per line, empty structs, anonymous types nested")
    func layout() throws {
        let text = "interface org.example.f\ntype E(a,b)\nmethod M(x:?[](y:int,z:(p,q)))->()\nerror Oops ()"
        let expected = """
            interface org.example.f

            type E(
            \ta,
            \tb
            )

            method M(
            \tx: ?[](
            \t\ty: int,
            \t\tz: (
            \t\t\tp,
            \t\t\tq
            \t\t)
            \t)
            ) -> ()

            error Oops()

            """
        #expect(try IDLFormatter.format(text) == expected)
        #expect(
            IDLFormatter.format(.optional(.map(.struct(IDLStruct(fields: [IDLField(name: "a", type: .int)])))))
                == "?[string](a: int)"
        )
        let pair = IDLStruct(fields: [IDLField(name: "a", type: .int), IDLField(name: "b", type: .optional(.string))])
        #expect(IDLFormatter.format(.struct(pair)) == "(a: int, b: ?string)")
        let values = IDLEnum(values: [IDLEnumValue(name: "one"), IDLEnumValue(name: "two")])
        #expect(IDLFormatter.format(.array(.enum(values))) == "[](one, two)")
    }
}
