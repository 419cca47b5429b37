package import PortableEngine
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

extension ChangeRecord {
    package var json: JSONValue {
        .object(["type": .string(type), "path": .string(path), "source": .string(source)])
    }
}

extension CLIImageSummary {
    package var json: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "type": .string(type), "readOnly": .bool(readOnly),
        ]
        if !path.isEmpty { object["path"] = .string(path) }
        object["creationTime"] = creationTime.map { .uint($0) } ?? .null
        object["modificationTime"] = modificationTime.map { .uint($0) } ?? .null
        object["usage"] = usage.map { .uint($0) } ?? .null
        object["state"] = .string(state)
        object["disk"] = disk?.json ?? .null
        return .object(object)
    }
}

extension DiskDetails {
    package var json: JSONValue {
        .object([
            "partitionTable": .string(partitionTable), "fileSystem": .string(fileSystem),
            "verity": .string(verity.rawValue), "encryption": .string(encryption.rawValue),
        ])
    }

    /// One line for people: `GPT, squashfs, dm-verity verified, not encrypted`.
    package var summary: String {
        var parts = [partitionTable == "gpt" ? "GPT" : "bare file system", fileSystem]
        parts.append(verity == .none ? "no dm-verity" : "dm-verity \(verity.rawValue)")
        parts.append(encryption == .none ? "not encrypted" : "encrypted (\(encryption.rawValue.uppercased()))")
        return parts.joined(separator: ", ")
    }
}

extension CLIImageMetadata {
    package var json: JSONValue {
        func text(_ bytes: [UInt8]) -> JSONValue { .string(String(decoding: bytes, as: UTF8.self)) }
        return .object([
            "image": .string(path),
            "osRelease": text(osRelease),
            "extensions": .array(extensions.map { .object(["path": .string($0.name), "release": text($0.contents)]) }),
            "units": .array(units.map { .object(["name": .string($0.name), "contents": text($0.contents)]) }),
            "disk": disk?.json ?? .null,
        ])
    }
}
