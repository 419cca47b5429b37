import VarlinkJSON

/// Pretty JSON with colour for terminals: keys, strings and other scalars styled apart.
///
/// Mirrors the serializer's pretty layout (two spaces per level, `"key": value`) and leaves every
/// scalar's text, escapes included, to `JSONSerializer`, so the output differs from the plain
/// form only by the colour sequences.
struct JSONHighlighter {
    let terminal: Terminal

    func render(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    private func write(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .array(let elements):
            guard !elements.isEmpty else { return output += "[]" }
            output += "["
            for (index, element) in elements.enumerated() {
                output += index == 0 ? "\n" : ",\n"
                output += Self.indentation(indent + 1)
                write(element, indent: indent + 1, into: &output)
            }
            output += "\n" + Self.indentation(indent) + "]"
        case .object(let object):
            guard !object.isEmpty else { return output += "{}" }
            output += "{"
            for (index, member) in object.members.enumerated() {
                output += index == 0 ? "\n" : ",\n"
                output += Self.indentation(indent + 1)
                output += terminal.styled(JSONSerializer.string(.string(member.key)), .name) + ": "
                write(member.value, indent: indent + 1, into: &output)
            }
            output += "\n" + Self.indentation(indent) + "}"
        case .string:
            output += terminal.styled(JSONSerializer.string(value), .keyword)
        case .null, .bool, .int, .uint, .double:
            output += terminal.styled(JSONSerializer.string(value), .type)
        }
    }

    private static func indentation(_ level: Int) -> String { String(repeating: "  ", count: level) }
}
