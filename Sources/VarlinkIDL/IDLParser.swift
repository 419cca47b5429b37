/// Parses Varlink IDL text into an `IDLInterface`.
///
/// Accepts the full grammar of the specification (the superset libvarlink, python and rust accept:
/// nested containers, inline `()`, CRLF, field and enum-value doc comments, `any`), then runs the
/// semantic checks systemd's parser makes (`IDLChecker`). Syntax errors stop parsing at the first
/// one; semantic problems are all reported.
public enum IDLParser {
    /// The deepest nesting of type expressions accepted, as in sd-varlink.
    public static let maximumNestingDepth = 64

    /// Parses and checks `text`; throws every error found.
    ///
    /// - Parameter fileName: shown in diagnostics (`file:line:column: error: …`).
    public static func parse(_ text: String, fileName: String? = nil) throws(IDLError) -> IDLInterface {
        var diagnostics = DiagnosticList()
        let interface = parse(text, fileName: fileName, diagnostics: &diagnostics)
        guard let interface, !diagnostics.hasErrors else { throw IDLError(diagnostics: diagnostics.diagnostics) }
        return interface
    }

    /// Parses and checks `text`, emitting diagnostics into `collector`.
    ///
    /// Returns the interface unless a syntax error prevented building it; check the collector for
    /// semantic errors before using the result.
    public static func parse(
        _ text: String,
        fileName: String? = nil,
        diagnostics collector: inout some DiagnosticCollector
    ) -> IDLInterface? {
        let interface: IDLInterface
        do {
            var lexer = IDLLexer(text)
            var parser = IDLSyntaxParser(tokens: try lexer.tokenize())
            interface = try parser.parseInterface()
        } catch {
            var diagnostic = error
            diagnostic.fileName = fileName
            collector.emit(diagnostic)
            return nil
        }
        var checker = IDLChecker(fileName: fileName)
        checker.check(interface)
        for diagnostic in checker.diagnostics { collector.emit(diagnostic) }
        return interface
    }

    /// Parses without the semantic checks (for tools that want to show a partially wrong file).
    public static func parseSyntax(_ text: String, fileName: String? = nil) throws(Diagnostic) -> IDLInterface {
        do {
            var lexer = IDLLexer(text)
            var parser = IDLSyntaxParser(tokens: try lexer.tokenize())
            return try parser.parseInterface()
        } catch {
            var diagnostic = error
            diagnostic.fileName = fileName
            throw diagnostic
        }
    }
}

/// The recursive-descent parser over the token list.
struct IDLSyntaxParser {
    private let tokens: [IDLToken]
    private var position = 0
    private var depth = 0

    init(tokens: [IDLToken]) { self.tokens = tokens }

    private var current: IDLToken {
        _read { yield tokens[position] }
    }

    private func peek(_ offset: Int) -> IDLToken { tokens[min(position + offset, tokens.count - 1)] }

    private mutating func consume() -> IDLToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func fail(_ expected: String, at token: IDLToken? = nil) -> Diagnostic {
        let token = token ?? current
        return Diagnostic(.error, "expected \(expected), found \(token.quoted)", at: token.location)
    }

    private mutating func expect(_ kind: IDLToken.Kind, _ expected: String) throws(Diagnostic) -> IDLToken {
        guard current.kind == kind else { throw fail(expected) }
        return consume()
    }

    private mutating func expectWord(_ expected: String) throws(Diagnostic) -> IDLToken {
        try expect(.word, expected)
    }

    mutating func parseInterface() throws(Diagnostic) -> IDLInterface {
        guard current.kind == .word, current.text == "interface" else { throw fail("'interface'") }
        let keyword = consume()
        let name = try expectWord("interface name")
        var interface = IDLInterface(
            name: name.text,
            documentation: keyword.documentation,
            location: keyword.location
        )
        while current.kind != .endOfFile {
            interface.members.append(try parseMember())
        }
        return interface
    }

    private mutating func parseMember() throws(Diagnostic) -> IDLMember {
        let keyword = current
        guard keyword.kind == .word, ["type", "method", "error"].contains(keyword.text) else {
            throw fail("'type', 'method' or 'error'")
        }
        _ = consume()
        let name = try expectWord("\(keyword.text) name").text
        let (docs, location) = (keyword.documentation, keyword.location)
        switch keyword.text {
        case "type":
            let opening = try expect(.leftParenthesis, "'(' after the type name")
            let body: IDLTypeDefinition.Body
            switch try parseParenthesizedBody(opening: opening) {
            case .struct(let value): body = .struct(value)
            case .enum(let value): body = .enum(value)
            default: preconditionFailure("parseParenthesizedBody returns a struct or enum")
            }
            return .type(IDLTypeDefinition(name: name, body: body, documentation: docs, location: location))
        case "method":
            let input = try parseStruct(context: "'(' starting the method's input")
            _ = try expect(.arrow, "'->' after the method's input")
            let output = try parseStruct(context: "'(' starting the method's output")
            return .method(IDLMethod(name: name, input: input, output: output, documentation: docs, location: location))
        default:
            let parameters = try parseStruct(context: "'(' starting the error's parameters")
            return .error(
                IDLErrorDefinition(name: name, parameters: parameters, documentation: docs, location: location)
            )
        }
    }

    /// A parenthesized field list that must be a struct (method input/output, error parameters).
    private mutating func parseStruct(context: String) throws(Diagnostic) -> IDLStruct {
        let opening = try expect(.leftParenthesis, context)
        let body = try parseParenthesizedBody(opening: opening)
        switch body {
        case .struct(let value): return value
        default:
            throw Diagnostic(.error, "expected a struct ('name: type' fields), found an enum", at: opening.location)
        }
    }

    /// After `(`: a struct if the first item has `:`, an enum otherwise; `()` is an empty struct.
    private mutating func parseParenthesizedBody(opening: IDLToken) throws(Diagnostic) -> IDLType {
        try enterNesting(at: opening.location)
        defer { depth -= 1 }
        if current.kind == .rightParenthesis {
            _ = consume()
            return .struct(IDLStruct())
        }
        guard current.kind == .word else { throw fail("field name, enum value or ')'") }
        if peek(1).kind == .colon { return .struct(try parseFields()) }
        return .enum(try parseEnumValues())
    }

    private mutating func parseFields() throws(Diagnostic) -> IDLStruct {
        IDLStruct(
            fields: try parseList(of: "field", namedBy: "field name") {
                (parser: inout Self, name: IDLToken) throws(Diagnostic) in
                guard parser.current.kind == .colon else {
                    throw parser.fail("':' after field '\(name.text)' (a struct cannot mix fields and enum values)")
                }
                _ = parser.consume()
                let typeLocation = parser.current.location
                return IDLField(
                    name: name.text,
                    type: try parser.parseType(),
                    documentation: name.documentation,
                    location: name.location,
                    typeLocation: typeLocation
                )
            }
        )
    }

    private mutating func parseEnumValues() throws(Diagnostic) -> IDLEnum {
        IDLEnum(
            values: try parseList(of: "enum value", namedBy: "enum value") {
                (parser: inout Self, name: IDLToken) throws(Diagnostic) in
                if parser.current.kind == .colon {
                    throw Diagnostic(
                        .error,
                        "expected ',' or ')' after enum value '\(name.text)' (an enum cannot mix values and fields)",
                        at: parser.current.location
                    )
                }
                return IDLEnumValue(name: name.text, documentation: name.documentation, location: name.location)
            }
        )
    }

    /// The comma-separated items of a field or enum-value list up to its `)`, which is consumed. Each
    /// item starts with a name (`expectedName` in messages); `parseRest` reads what follows it.
    private mutating func parseList<Item>(
        of what: String,
        namedBy expectedName: String,
        _ parseRest: (inout Self, _ name: IDLToken) throws(Diagnostic) -> Item
    ) throws(Diagnostic) -> [Item] {
        var items: [Item] = []
        while true {
            let name = try expectWord(expectedName)
            items.append(try parseRest(&self, name))
            let separator = consume()
            switch separator.kind {
            case .rightParenthesis: return items
            case .comma: continue
            default: throw fail("',' or ')' after \(what) '\(name.text)'", at: separator)
            }
        }
    }

    /// Counts one more level of type nesting, refusing to go deeper than the limit; the caller
    /// leaves the level again (`defer { depth -= 1 }`).
    private mutating func enterNesting(at location: SourceLocation) throws(Diagnostic) {
        guard depth < IDLParser.maximumNestingDepth else {
            throw Diagnostic(.error, "types nested deeper than \(IDLParser.maximumNestingDepth) levels", at: location)
        }
        depth += 1
    }

    /// `type = element | "?" element | "[]" type | "[string]" type | "?" "[]" type | "?" "[string]" type`
    private mutating func parseType() throws(Diagnostic) -> IDLType {
        try enterNesting(at: current.location)
        defer { depth -= 1 }
        if current.kind == .questionMark {
            _ = consume()
            if current.kind == .questionMark {
                throw Diagnostic(.error, "'?' cannot follow '?' (a type is nullable or not)", at: current.location)
            }
            return .optional(try parseNonOptionalType())
        }
        return try parseNonOptionalType()
    }

    private mutating func parseNonOptionalType() throws(Diagnostic) -> IDLType {
        let token = current
        switch token.kind {
        case .leftBracket:
            _ = consume()
            if current.kind == .rightBracket {
                _ = consume()
                return .array(try parseType())
            }
            if current.kind == .word, current.text == "string", peek(1).kind == .rightBracket {
                _ = consume()
                _ = consume()
                return .map(try parseType())
            }
            throw fail("']' or 'string]' after '['")
        case .leftParenthesis:
            _ = consume()
            return try parseParenthesizedBody(opening: token)
        case .word:
            _ = consume()
            switch token.text {
            case "bool": return .bool
            case "int": return .int
            case "float": return .float
            case "string": return .string
            case "object": return .object
            case "any": return .any
            default: return .named(token.text)
            }
        default:
            throw fail("a type")
        }
    }
}
