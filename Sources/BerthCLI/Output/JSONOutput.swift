package import VarlinkJSON

/// `--json=short|pretty` output: one JSON document per command on stdout.
package enum JSONOutput {
    package static func print(_ value: JSONValue, mode: JSONMode) {
        var text = ""
        render(value, pretty: mode == .pretty, indent: 0, into: &text)
        text += "\n"
        Terminal.out(text)
    }

    package static func render(_ value: JSONValue, pretty: Bool, indent: Int, into text: inout String) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .int(let number): text += String(number)
        case .uint(let number): text += String(number)
        case .double(let number): text += number.isFinite ? "\(number)" : "null"
        case .string(let string): quote(string, into: &text)
        case .array(let elements):
            guard !elements.isEmpty else {
                text += "[]"
                return
            }
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                newline(pretty: pretty, indent: indent + 1, into: &text)
                render(element, pretty: pretty, indent: indent + 1, into: &text)
            }
            newline(pretty: pretty, indent: indent, into: &text)
            text += "]"
        case .object(let object):
            guard !object.isEmpty else {
                text += "{}"
                return
            }
            text += "{"
            for (index, member) in object.members.enumerated() {
                if index > 0 { text += "," }
                newline(pretty: pretty, indent: indent + 1, into: &text)
                quote(member.key, into: &text)
                text += pretty ? ": " : ":"
                render(member.value, pretty: pretty, indent: indent + 1, into: &text)
            }
            newline(pretty: pretty, indent: indent, into: &text)
            text += "}"
        }
    }

    private static func newline(pretty: Bool, indent: Int, into text: inout String) {
        guard pretty else { return }
        text += "\n"
        text += String(repeating: "  ", count: indent)
    }

    private static func quote(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
