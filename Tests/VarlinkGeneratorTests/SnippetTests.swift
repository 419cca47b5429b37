import Testing
import VarlinkGeneratorCore
import VarlinkIDL

/// Small IDL in, exact Swift fragments out.
@Suite("Generator snippets")
struct SnippetTests {
    private func generate(_ idl: String) throws -> String {
        try VarlinkGenerator.generate(
            source: idl,
            fileName: "snippet.varlink",
            configuration: GeneratorConfiguration(accessLevel: .public, sourceName: "snippet.varlink")
        )
    }

    @Test("enums: String raw values, camel-cased cases, keywords escaped, docs carried over")
    func enums() throws {
        let output = try generate(
            """
            interface org.example.snip
            # The state.
            type State (
                # Not attached.
                detached,
                attached_runtime,
                default
            )
            """
        )
        #expect(
            output.contains(
                """
                    /// The state.
                    public enum State: Swift.String, Swift.Sendable, Swift.Hashable, Swift.CaseIterable {
                        /// Not attached.
                        case detached
                        case attachedRuntime = "attached_runtime"
                        case `default`
                    }
                """
            )
        )
    }

    @Test("structs: keyword fields, nullable defaults, nested anonymous types, wire conversion")
    func structs() throws {
        let output = try generate(
            """
            interface org.example.snip
            type Entry (type: string, count: ?int, inner: ?(flag: bool), kind: (a, b), tags: []?string, map: [string]Entry)
            """
        )
        #expect(output.contains("public struct Entry: Snip.Message, Swift.Hashable {"))
        #expect(output.contains("public var type: Swift.String"))
        #expect(output.contains("public var inner: Snip.Entry.Inner?"))
        #expect(output.contains("public var kind: Snip.Entry.Kind"))
        #expect(output.contains("public var tags: [Swift.String?]"))
        #expect(output.contains("public var map: [Swift.String: Snip.Entry]"))
        #expect(
            output.contains(
                "public init(type: Swift.String, count: Swift.Int? = nil, inner: Snip.Entry.Inner? = nil, kind: Snip.Entry.Kind, tags: [Swift.String?], map: [Swift.String: Snip.Entry])"
            )
        )
        #expect(output.contains(#"self.type = try _Wire.required(json, "type") { v in try _Wire.string(v) }"#))
        #expect(
            output.contains(
                #"if let value = self.count { members.append((key: "count", value: .int(Swift.Int64(value)))) }"#
            )
        )
        #expect(output.contains("public struct Inner: Snip.Message, Swift.Hashable {"))
        #expect(output.contains("public enum Kind: Swift.String"))
    }

    @Test("errors: one case per error with labelled values and wire names")
    func errors() throws {
        let output = try generate(
            """
            interface org.example.snip
            # Nothing there.
            error NotFound (name: string, hint: ?string)
            error Busy ()
            """
        )
        #expect(
            output.contains(
                "        /// Nothing there.\n        case notFound(name: Swift.String, hint: Swift.String?)\n        case busy\n"
            )
        )
        #expect(output.contains(#"case .notFound: return "org.example.snip.NotFound""#))
        #expect(output.contains(#"self = .notFound(name: p0, hint: p1)"#))
    }

    @Test("methods: client overloads, protocol requirement, adapter case; more-annotated methods stream")
    func methods() throws {
        let output = try generate(
            """
            interface org.example.snip
            # Lists.
            # [Supports 'more' flag]
            method List(filter: ?string) -> (name: string)
            # [Requires 'more' flag]
            method Watch() -> (event: string)
            method Get(name: string) -> (value: int)
            """
        )
        #expect(output.contains("public func get(_ parameters: Snip.GetParameters) async throws -> Snip.GetReply {"))
        #expect(output.contains("public func get(name: Swift.String) async throws -> Snip.GetReply {"))
        #expect(
            output.contains("public func listStream(filter: Swift.String? = nil) -> Snip.ReplyStream<Snip.ListReply> {")
        )
        #expect(output.contains("public func list(filter: Swift.String? = nil) async throws -> Snip.ListReply {"))
        #expect(!output.contains("public func watch(name"))
        #expect(output.contains("public func watchStream() -> Snip.ReplyStream<Snip.WatchReply> {"))
        // The API protocol, which the client also implements (streaming methods through a reply sink).
        #expect(output.contains("public protocol API: Swift.Sendable {"))
        #expect(output.contains("public struct Client: Snip.API {"))
        #expect(output.contains("    func get(_ parameters: Snip.GetParameters) async throws -> Snip.GetReply\n"))
        #expect(
            output.contains(
                "func watch(_ parameters: Snip.WatchParameters, replies: Snip.ReplySink<Snip.WatchReply>) async throws -> Snip.WatchReply"
            )
        )
        #expect(
            output.contains(
                "public func watch(_ parameters: Snip.WatchParameters, replies: Snip.ReplySink<Snip.WatchReply>) async throws -> Snip.WatchReply {"
            )
        )
        #expect(output.contains("public struct ServiceAdapter<Implementation: Snip.API>: Varlink.VarlinkInterface {"))
        #expect(output.contains("try await Varlink.VarlinkCall.$current.withValue(call)"))
        #expect(output.contains("guard call.more else { throw Varlink.VarlinkServiceError.expectedMore }"))
    }

    @Test("the embedded description is the canonical text in a raw string that cannot be closed early")
    func description() throws {
        let output = try generate("# Quote \"\"\"# and \\(x)\ninterface org.example.snip\nmethod M() -> ()\n")
        #expect(
            output.contains(
                "static let interfaceDescription = ##\"\"\"\n# Quote \"\"\"# and \\(x)\ninterface org.example.snip\n"
            )
        )
    }

    @Test("Codable conformance only when asked for")
    func codable() throws {
        let idl = "interface org.example.snip\ntype Entry (kind: (a, b))\n"
        let plain = try generate(idl)
        #expect(!plain.contains("Codable"))
        let codable = try VarlinkGenerator.generate(
            source: idl,
            fileName: "snippet.varlink",
            configuration: GeneratorConfiguration(accessLevel: .public, sourceName: "snippet.varlink", codable: true)
        )
        #expect(codable.contains("public struct Entry: Snip.Message, Swift.Hashable, Swift.Codable {"))
        #expect(
            codable.contains(
                "public enum Kind: Swift.String, Swift.Sendable, Swift.Hashable, Swift.Codable, Swift.CaseIterable {"
            )
        )
    }
}
