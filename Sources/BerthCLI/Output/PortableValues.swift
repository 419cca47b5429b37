package import BerthClient
package import VarlinkJSON

/// How berthctl shows the generated io.berth.Portable values: text as portablectl prints it, and the
/// `--json` documents (their shape predates the wire types and stays as scripts know it).
extension Portable.ImageState {
    /// `attached-runtime`, as portablectl prints it (Varlink enum values spell it `attached_runtime`).
    package var text: String {
        String(decoding: rawValue.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    }
}

extension Portable.Change {
    package var json: JSONValue {
        .object(["type": .string(type.rawValue), "path": .string(path), "source": .string(source ?? "")])
    }
}

extension Portable.Image {
    package var json: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "type": .string(type.rawValue), "readOnly": .bool(readOnly),
        ]
        if !path.isEmpty { object["path"] = .string(path) }
        object["creationTime"] = Self.unsigned(creationTimestamp)
        object["modificationTime"] = Self.unsigned(modificationTimestamp)
        object["usage"] = Self.unsigned(usage)
        object["state"] = .string(state.text)
        object["disk"] = disk?.json ?? .null
        return .object(object)
    }

    private static func unsigned(_ value: Int?) -> JSONValue {
        value.map { .uint(UInt64(clamping: $0)) } ?? .null
    }
}

extension Portable.DiskInfo {
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

extension Portable.ImageMetadata {
    package var json: JSONValue {
        .object([
            "image": .string(path),
            "osRelease": .string(osRelease.contents),
            "extensions": .array(
                extensionReleases.map { .object(["path": .string($0.image), "release": .string($0.contents)]) }
            ),
            "units": .array(units.map { .object(["name": .string($0.name), "contents": .string($0.contents)]) }),
            "disk": disk?.json ?? .null,
        ])
    }
}

extension Portable.ReleaseFile {
    /// A field's value as the engine parsed it; nil when absent or empty.
    package subscript(key: String) -> String? {
        guard let value = fields[key], !value.isEmpty else { return nil }
        return value
    }
}
