import Foundation
import Testing
import VarlinkIDL

@Suite("IDL parser")
struct IDLParserTests {
    @Test("parses every fixture interface", arguments: IDLFixtures.validInterfaces)
    func parsesFixture(_ name: String) throws {
        let interface = try IDLParser.parse(try IDLFixtures.text(name), fileName: name)
        #expect(!interface.members.isEmpty)
        #expect(name.hasSuffix(interface.name + ".varlink"))
    }

    @Test("parses io.berth.Portable with every documented member")
    func parsesPortable() throws {
        let interface = try IDLParser.parse(try IDLFixtures.portableInterface())
        #expect(interface.name == "io.berth.Portable")
        for member in interface.members {
            #expect(!member.documentation.isEmpty, "\(member.name) lacks documentation")
        }
        for method in interface.methods {
            for field in method.input.fields + method.output.fields {
                #expect(!field.documentation.isEmpty, "\(method.name).\(field.name) lacks documentation")
            }
        }
        #expect(
            interface.method(named: "AttachImage")?.input.field(named: "copyMode")?.type
                == .optional(.named("CopyMode"))
        )
        #expect(
            interface.error(named: "io.berth.Portable.BadImage")?.parameters.fields.map(\.name) == [
                "image", "reason", "file",
            ]
        )
    }

    @Test("the certification interface: keywords as field names, inline and nested types")
    func parsesCertification() throws {
        let interface = try IDLParser.parse(try IDLFixtures.text("org.varlink.certification.varlink"))
        let myType = try #require(interface.type(named: "MyType"))
        guard case .struct(let body) = myType.body else {
            Issue.record("MyType is not a struct")
            return
        }
        guard case .enum(let values)? = body.field(named: "enum")?.type else {
            Issue.record("MyType.enum is not an anonymous enum")
            return
        }
        #expect(values.names == ["one", "two", "three"])
        #expect(body.field(named: "stringset")?.type == .map(.struct(IDLStruct())))
        #expect(body.field(named: "object")?.type == .object)
        let test09 = try #require(interface.method(named: "Test09"))
        #expect(test09.output.fields.first?.type == .named("MyType"))
        #expect(test09.input.fields.last?.type == .map(.struct(IDLStruct())))
        let nested = interface.method(named: "Test06")?.output.fields.first?.type
        guard case .struct(let inner)? = nested else {
            Issue.record("Test06 output is not an anonymous struct")
            return
        }
        #expect(inner.fields.map(\.name) == ["bool", "int", "float", "string"])
    }

    @Test("doc comments attach to the next item; a blank line ends a block; trailing comments are dropped")
    func documentation() throws {
        let text = """
            # License header, not documentation.

            # The interface.
            # Second line.
            interface org.example.docs

            # A type.
            type T (
                # First value.
                one, # trailing, dropped
                #no space kept as is
                two
            )

            #
            # Method with an empty doc line.
            method M(
                # The input.
                a: int
            ) -> ()
            """
        let interface = try IDLParser.parse(text)
        #expect(interface.documentation == ["The interface.", "Second line."])
        guard case .enum(let values)? = interface.type(named: "T")?.body else {
            Issue.record("T is not an enum")
            return
        }
        #expect(interface.type(named: "T")?.documentation == ["A type."])
        #expect(values.values.map(\.documentation) == [["First value."], ["no space kept as is"]])
        #expect(interface.method(named: "M")?.documentation == ["", "Method with an empty doc line."])
        #expect(interface.method(named: "M")?.input.fields.first?.documentation == ["The input."])
    }

    @Test("CRLF, CR, U+2028 line endings and Unicode white space")
    func lineEndingsAndWhitespace() throws {
        let plain = "interface org.example.ws\n\n# Doc.\nmethod M(a: int,\n b: ?[]string) -> (c: [string]float)\n"
        let reference = try IDLParser.parse(plain)
        for lineEnding in ["\r\n", "\r", "\u{2028}", "\u{2029}"] {
            let converted = plain.replacingOccurrences(of: "\n", with: lineEnding)
            let interface = try IDLParser.parse(converted)
            #expect(IDLFormatter.format(interface) == IDLFormatter.format(reference))
            #expect(interface.method(named: "M")?.input.fields[1].location.line == 5)
        }
        let spaced = "\u{FEFF}interface\u{00A0}org.example.ws\u{3000}\nmethod\u{2003}M()\u{202F}->\u{205F}()\n"
        #expect(try IDLParser.parse(spaced).methods.map(\.name) == ["M"])
    }

    @Test("locations count lines and Unicode scalars")
    func locations() throws {
        let text = "# Ünïcödé comment\ninterface org.example.loc\n\nmethod M(\n\tname: string,\n\tcount: int\n) -> ()\n"
        let interface = try IDLParser.parse(text)
        #expect(interface.location == SourceLocation(line: 2, column: 1, offset: 22))
        let fields = try #require(interface.method(named: "M")).input.fields
        #expect(fields[1].location.line == 6)
        #expect(fields[1].location.column == 2)
        #expect(fields[1].typeLocation.column == 9)
        let error = #expect(throws: IDLError.self) {
            try IDLParser.parse("# é\ninterface org.example.loc\nmethod M(ä: int) -> ()\n")
        }
        #expect(error?.first.location.line == 3)
        #expect(error?.first.location.column == 10)
    }

    @Test("nested containers and qualified self references")
    func nestedTypes() throws {
        let text = """
            interface org.example.nested
            type Node (children: ?[]?[string][]Node, parent: ?org.example.nested.Node, extra: any)
            """
        let node = try #require(try IDLParser.parse(text).type(named: "Node"))
        guard case .struct(let body) = node.body else {
            Issue.record("Node is not a struct")
            return
        }
        #expect(body.fields[0].type == .optional(.array(.optional(.map(.array(.named("Node")))))))
        #expect(body.fields[1].type == .optional(.named("org.example.nested.Node")))
        #expect(body.fields[2].type == .any)
    }

    @Test("deep nesting is refused with a diagnostic, not a crash")
    func deepNesting() {
        let deep = "interface org.example.deep\nmethod M(a: " + String(repeating: "[]", count: 5000) + "int) -> ()\n"
        let error = #expect(throws: IDLError.self) { try IDLParser.parse(deep) }
        #expect(error?.first.message.contains("nested deeper") == true)
        let parens =
            "interface org.example.deep\nmethod M(a: " + String(repeating: "(a: ", count: 3000) + "int"
            + String(repeating: ")", count: 3000) + ") -> ()\n"
        #expect(throws: IDLError.self) { try IDLParser.parse(parens) }
    }

    @Test("systemd's more/upgrade annotations are read from method docs")
    func flagAnnotations() throws {
        let interface = try IDLParser.parse(try IDLFixtures.text("systemd/io.systemd.MachineImage.varlink"))
        #expect(interface.method(named: "List")?.moreSupport == .supported)
        #expect(interface.method(named: "Remove")?.moreSupport == .unsupported)
    }
}
