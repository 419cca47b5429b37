import VarlinkJSON

/// JSON in and out of the command line: parameters from an argument or stdin, values to print.
enum JSONText {
    /// `value` as text in `format`, ending with a newline; pretty output is coloured when the
    /// terminal allows it.
    static func render(_ value: JSONValue, _ format: JSONFormat, on terminal: Terminal? = nil) -> String {
        if format == .pretty, let terminal, terminal.usesColor {
            return JSONHighlighter(terminal: terminal).render(value) + "\n"
        }
        return JSONSerializer.string(value, pretty: format == .pretty) + "\n"
    }

    /// Call parameters: a JSON object (or `null`, meaning none). Empty or blank text means `{}`,
    /// as in varlinkctl.
    static func parameters(from text: String, origin: String) throws(ToolError) -> JSONObject {
        if text.allSatisfy(\.isWhitespace) { return JSONObject() }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw ToolError(
                "Invalid JSON parameters \(origin): \(error.kind.message) (\(location(of: error.offset, in: text)))",
                status: .invalidParameters
            )
        }
        switch value {
        case .object(let object): return object
        case .null: return JSONObject()
        default:
            throw ToolError(
                "Invalid parameters \(origin): expected a JSON object, got \(kindName(of: value))",
                status: .invalidParameters
            )
        }
    }

    /// "line L, column C" for a byte offset, so people can find the mistake in multi-line input.
    static func location(of offset: Int, in text: String) -> String {
        var line = 1
        var column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }

    static func kindName(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .uint, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
