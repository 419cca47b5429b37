/// The `20-portable.conf` drop-in: its marker line and content, byte-compatible with systemd-portabled.
enum PortableDropIn {
    static let fileName = "20-portable.conf"
    static let profileFileName = "10-profile.conf"
    static let markerBegin = "# Drop-in created for image '"
    static let markerEnd = "', do not edit."

    /// A layer of the attachment: the root image or one extension.
    struct Layer {
        var path: String
        var kind: ImageKind
        var release: ReleaseFile?
        var pinnedPolicy: String?
    }

    /// `xescape(path, ":")`: control characters, bytes ≥ 0x7F, `\` and `:` become `\xNN`.
    static func escape(_ path: String) -> String {
        var result = ""
        for byte in path.utf8 {
            if byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: ":") {
                let hex = String(byte, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return result
    }

    /// Reverses `escape` (only `\xNN` sequences; anything else is kept literally).
    static func unescape(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count + 0, utf8[index + 1] == UInt8(ascii: "x"),
                let value = UInt8(String(decoding: utf8[(index + 2)...(index + 3)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func marker(root: String, extensions: [String]) -> String {
        markerBegin + ([root] + extensions).map(escape).joined(separator: ":") + markerEnd
    }

    /// The image paths named by a marker line, or nil if the line is not one of ours.
    static func parseMarker(_ line: String) -> [String]? {
        guard line.hasPrefix(markerBegin), line.hasSuffix(markerEnd),
            line.utf8.count >= markerBegin.utf8.count + markerEnd.utf8.count
        else { return nil }
        let body = line.dropFirst(markerBegin.count).dropLast(markerEnd.count)
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(unescape)
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return parts
    }

    /// The drop-in for `unit`, which came from the layer at `sourceImage`.
    static func text(
        unit: String,
        sourceImage: String,
        root: Layer,
        extensions: [Layer],
        relaxExtensionCheck: Bool
    ) -> String {
        var text = marker(root: root.path, extensions: extensions.map(\.path)) + "\n"
        guard unit.hasSuffix(".service") else { return text }
        let baseName = PortableNames.lastComponent(sourceImage)
        text += "\n[Service]\n"
        text += root.kind.rootSetting + root.path + "\n"
        text += "Environment=PORTABLE=\(baseName)\n"
        text += "LogExtraFields=PORTABLE=\(baseName)\n"
        if let policy = root.pinnedPolicy { text += "RootImagePolicy=\(policy)\n" }
        if extensions.isEmpty {
            text += releaseLogField(root.release, prefix: nil, field: "PORTABLE_NAME_AND_VERSION")
            return text
        }
        let rootBaseName = PortableNames.lastComponent(root.path)
        text += "Environment=PORTABLE_ROOT=\(rootBaseName)\n"
        text += "LogExtraFields=PORTABLE_ROOT=\(rootBaseName)\n"
        text += releaseLogField(root.release, prefix: nil, field: "PORTABLE_ROOT_NAME_AND_VERSION")
        let extensionPolicy = ImagePolicyUnion.union(extensions.compactMap(\.pinnedPolicy))
        for layer in extensions {
            text += "\n" + layer.kind.extensionSetting + layer.path
            text += (!layer.kind.isTree && relaxExtensionCheck) ? ":x-systemd.relax-extension-release-check\n" : "\n"
            text += "LogExtraFields=PORTABLE_EXTENSION=\(PortableNames.lastComponent(layer.path))\n"
            if !layer.kind.isTree, let extensionPolicy { text += "ExtensionImagePolicy=\(extensionPolicy)\n" }
            text += releaseLogField(layer.release, prefix: "SYSEXT", field: "PORTABLE_EXTENSION_NAME_AND_VERSION")
            text += releaseLogField(layer.release, prefix: "CONFEXT", field: "PORTABLE_EXTENSION_NAME_AND_VERSION")
        }
        return text
    }

    /// `LogExtraFields=<field>=<id>[_<version>]` from a release file; empty when it names neither.
    static func releaseLogField(_ release: ReleaseFile?, prefix: String?, field: String) -> String {
        guard let release else { return "" }
        let ids = prefix.map { ["\($0)_IMAGE_ID", "\($0)_ID"] } ?? ["IMAGE_ID", "ID"]
        let versions =
            prefix.map { ["\($0)_IMAGE_VERSION", "\($0)_VERSION_ID", "\($0)_BUILD_ID"] }
            ?? ["IMAGE_VERSION", "VERSION_ID", "BUILD_ID"]
        // Values with control characters are dropped, so nothing can break the drop-in's line structure.
        func clean(_ value: String?) -> String? {
            guard let value, !value.isEmpty, value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F })
            else { return nil }
            return value
        }
        let id = clean(release.first(of: ids))
        let version = clean(release.first(of: versions))
        if id == nil && version == nil { return "" }
        let joined = (id ?? "") + (id != nil && version != nil ? "_" : "") + (version ?? "")
        return "LogExtraFields=\(field)=\(joined)\n"
    }
}
