/// Renders an interface as canonical IDL text: what `GetInterfaceDescription` returns.
///
/// The layout is systemd's (`sd_varlink_idl_dump`): a blank line between members, one field or
/// enum value per line indented by a tab, `type Name(`, `method Name(…) -> (…)`, `error Name()`,
/// `# ` before each documentation line, and a final line break. Unlike systemd it keeps the
/// declaration order. Formatting is idempotent: parsing the output and formatting again gives the
/// same text.
public enum IDLFormatter {
    /// The canonical text of `interface`.
    public static func format(_ interface: IDLInterface) -> String {
        var writer = Writer()
        writer.documentation(interface.documentation, indent: 0)
        writer.line("interface " + interface.name)
        for member in interface.members {
            writer.line("")
            writer.documentation(member.documentation, indent: 0)
            switch member {
            case .type(let definition):
                writer.text("type " + definition.name)
                switch definition.body {
                case .struct(let body): writer.fields(body, indent: 0)
                case .enum(let body): writer.values(body, indent: 0)
                }
            case .method(let method):
                writer.text("method " + method.name)
                writer.fields(method.input, indent: 0)
                writer.text(" -> ")
                writer.fields(method.output, indent: 0)
            case .error(let error):
                writer.text("error " + error.name)
                writer.fields(error.parameters, indent: 0)
            }
            writer.line("")
        }
        return writer.output
    }

    /// Parses `text` and formats it: the canonical form of an interface description.
    public static func format(_ text: String, fileName: String? = nil) throws(IDLError) -> String {
        format(try IDLParser.parse(text, fileName: fileName))
    }

    /// The text of a type expression as written in a field (`?[]string`, `[string]Name`); anonymous
    /// structs and enums on one line.
    public static func format(_ type: IDLType) -> String {
        var writer = Writer(singleLine: true)
        writer.type(type, indent: 0)
        return writer.output
    }
}

private struct Writer {
    var output = ""
    var singleLine = false

    init(singleLine: Bool = false) {
        self.singleLine = singleLine
        output.reserveCapacity(4096)
    }

    mutating func text(_ text: String) { output += text }

    mutating func line(_ text: String) {
        output += text
        output += "\n"
    }

    mutating func indentation(_ level: Int) {
        for _ in 0..<level { output += "\t" }
    }

    mutating func documentation(_ lines: [String], indent: Int) {
        for line in lines {
            indentation(indent)
            output += line.isEmpty ? "#\n" : "# " + line + "\n"
        }
    }

    mutating func fields(_ body: IDLStruct, indent: Int) {
        if body.fields.isEmpty {
            output += "()"
            return
        }
        list(body.fields, indent: indent, docs: \.documentation) { writer, field, level in
            writer.output += field.name + ": "
            writer.type(field.type, indent: level)
        }
    }

    mutating func values(_ body: IDLEnum, indent: Int) {
        list(body.values, indent: indent, docs: \.documentation) { writer, value, _ in writer.output += value.name }
    }

    /// `(…)` around fields or enum values: comma-separated on one line in single-line mode, else one
    /// item a line after its documentation, a level deeper. `write` writes one item at a level.
    private mutating func list<Item>(
        _ items: [Item],
        indent: Int,
        docs: (Item) -> [String],
        _ write: (inout Writer, Item, _ indent: Int) -> Void
    ) {
        if singleLine {
            output += "("
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                write(&self, item, indent)
            }
            output += ")"
            return
        }
        output += "(\n"
        for (index, item) in items.enumerated() {
            documentation(docs(item), indent: indent + 1)
            indentation(indent + 1)
            write(&self, item, indent + 1)
            output += index == items.count - 1 ? "\n" : ",\n"
        }
        indentation(indent)
        output += ")"
    }

    mutating func type(_ type: IDLType, indent: Int) {
        switch type {
        case .bool: output += "bool"
        case .int: output += "int"
        case .float: output += "float"
        case .string: output += "string"
        case .object: output += "object"
        case .any: output += "any"
        case .named(let name): output += name
        case .optional(let inner):
            output += "?"
            self.type(inner, indent: indent)
        case .array(let inner):
            output += "[]"
            self.type(inner, indent: indent)
        case .map(let inner):
            output += "[string]"
            self.type(inner, indent: indent)
        case .struct(let body): fields(body, indent: indent)
        case .enum(let body): values(body, indent: indent)
        }
    }
}
