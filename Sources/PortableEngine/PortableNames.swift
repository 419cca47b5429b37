/// Validation and derivation of image, unit and profile names, following systemd's rules
/// (`image_name_is_valid`, `unit_name_is_valid`, `path_extract_image_name`, portablectl's `extract_prefix`).
package enum PortableNames {
    /// The unit types a portable image may provide.
    package static let portableUnitSuffixes = [".service", ".socket", ".target", ".timer", ".path"]

    /// A file name: non-empty, at most 255 bytes, no `/`, not `.` or `..`, no NUL.
    package static func isValidFileName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 255, name != ".", name != ".." else { return false }
        return !bytes.contains(UInt8(ascii: "/")) && !bytes.contains(0)
    }

    /// Image names (`image_name_is_valid`): valid file names, no control characters, valid UTF-8, not a
    /// temporary `.#` file. Other hidden names are valid: portablectl 257/262 send `.hidden` as a name,
    /// and portabled finds and lists an image stored as `/var/lib/portables/.hidden` (lab, recorded).
    package static func isValidImageName(_ name: String) -> Bool {
        guard isValidFileName(name), !name.hasPrefix(".#") else { return false }
        guard name.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else { return false }
        // String(decoding:) replaced invalid UTF-8 with U+FFFD; refuse it so such names never match files.
        return !name.unicodeScalars.contains("\u{FFFD}")
    }

    /// Profile names: plain file names without control characters (so they can never leave the profile dirs).
    package static func isValidProfileName(_ name: String) -> Bool {
        isValidImageName(name) && !name.hasPrefix(".")
    }

    /// systemd's `unit_name_is_valid`: `prefix[@[instance]].type` with a known unit type, at most 255
    /// bytes; the prefix of `[A-Za-z0-9:_.\-\\]`, non-empty; the instance may also contain `@`
    /// (`foo@@.service` is valid: the instance is `@`).
    package static func isValidUnitName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 else { return false }
        guard unitTypes.contains(text(bytes[(dot + 1)...])) else { return false }
        let stem = bytes[..<dot]
        guard let at = stem.firstIndex(of: UInt8(ascii: "@")) else { return stem.allSatisfy(isUnitNameByte) }
        guard at > stem.startIndex else { return false }
        return stem[..<at].allSatisfy(isUnitNameByte)
            && stem[(at + 1)...].allSatisfy { isUnitNameByte($0) || $0 == UInt8(ascii: "@") }
    }

    /// systemd's unit types (`unit_type_from_string`).
    static let unitTypes: Set<String> = [
        "service", "mount", "swap", "socket", "target", "device", "automount", "timer", "path", "slice", "scope",
    ]

    private static func isUnitNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "\\"): true
        default: false
        }
    }

    /// Whether the unit is a template (`foo@.service`): its first `@` directly precedes the type suffix
    /// (`foo@@.service` is an instance, of `foo@.service`).
    package static func isTemplate(_ unit: String) -> Bool {
        let bytes = Array(unit.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else {
            return false
        }
        return dot == at + 1
    }

    /// The unit type suffix after the last dot, e.g. `service`.
    package static func unitType(_ unit: String) -> String {
        let bytes = Array(unit.utf8)
        guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return "" }
        return text(bytes[(dot + 1)...])
    }

    /// `unit_match`: a portable unit type, and (with prefixes) one prefix followed by `-`, `.`, `@` or end.
    package static func unitMatches(_ unit: String, prefixes: [String]) -> Bool {
        guard portableUnitSuffixes.contains(where: { unit.hasSuffix($0) }) else { return false }
        if prefixes.isEmpty { return true }
        return prefixes.contains { prefix in
            guard unit.hasPrefix(prefix) else { return false }
            let rest = unit.utf8.dropFirst(prefix.utf8.count)
            guard let next = rest.first else { return true }
            return next == UInt8(ascii: "-") || next == UInt8(ascii: ".") || next == UInt8(ascii: "@")
        }
    }

    /// The last path component (ignoring trailing slashes).
    ///
    /// Works on UTF-8 bytes, as the kernel does: as Characters, a `/` followed by a combining mark would be
    /// one grapheme and not count as a separator (found by the unitname-parse fuzzer).
    package static func lastComponent(_ path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == slash { bytes.removeLast() }
        if let index = bytes.lastIndex(of: slash) { return text(bytes[(index + 1)...]) }
        return text(bytes)
    }

    /// `path_extract_image_name`: last component, `.sysext.raw`/`.confext.raw`/`.raw` stripped, cut at the
    /// first `_` or `+` — so `foo_1.2.raw` and `foo_2` are both `foo`.
    package static func imageBaseName(_ path: String) -> String {
        var name = Array(lastComponent(path).utf8)
        for suffix in [".sysext.raw", ".confext.raw", ".raw"] where removeSuffix(suffix, from: &name) { break }
        if let cut = name.firstIndex(where: { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+") }) {
            name.removeSubrange(cut...)
        }
        return text(name)
    }

    /// The image name shown in lists: file name without `.raw`.
    package static func displayName(_ path: String) -> String {
        // A plain name without `.raw` (every directory image of a list) is its own display name: no copies.
        let utf8 = path.utf8
        if !utf8.contains(slash), !utf8.reversed().starts(with: ".raw".utf8.reversed()) { return path }
        var name = Array(lastComponent(path).utf8)
        _ = removeSuffix(".raw", from: &name)
        return text(name)
    }

    /// portablectl's default unit prefix: before the first `_`, else without `.raw.v`/`.raw`/`.v`; only
    /// `[A-Za-z0-9.-]` allowed.
    package static func derivedPrefix(_ imagePath: String) throws(PortableError) -> String {
        var bytes = Array(lastComponent(imagePath).utf8)
        if let underscore = bytes.firstIndex(of: UInt8(ascii: "_")) {
            bytes.removeSubrange(underscore...)
        } else {
            for suffix in [".raw.v", ".raw", ".v"] where removeSuffix(suffix, from: &bytes, keepingSome: false) {
                break
            }
        }
        let name = text(bytes)
        let allowed = bytes.allSatisfy { byte in
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "."), UInt8(ascii: "-"): true
            default: false
            }
        }
        guard allowed, isValidFileName(name) else {
            throw .invalidArgument(parameter: "image", reason: "Failed to extract prefix of image name '\(imagePath)'.")
        }
        return name
    }

    /// Absolute, no `.`/`..` components, no empty components, no control characters.
    package static func isNormalizedAbsolutePath(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.utf8.count < 4096 else { return false }
        guard path.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) else { return false }
        if path == "/" { return true }
        let components = path.utf8.dropFirst().split(separator: slash, omittingEmptySubsequences: false)
        return components.allSatisfy { !$0.isEmpty && !$0.elementsEqual(".".utf8) && !$0.elementsEqual("..".utf8) }
    }

    /// Joins an absolute directory and a relative name.
    static func join(_ directory: String, _ name: String) -> String {
        if directory.utf8.last == slash { return directory + name }
        return directory + "/" + name
    }

    /// The parent directory of an absolute path.
    static func parent(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard let index = bytes.lastIndex(of: slash), index > 0 else { return "/" }
        return text(bytes[..<index])
    }

    private static let slash = UInt8(ascii: "/")

    /// Bytes cut at ASCII separators are still valid UTF-8: an ASCII byte never sits inside a sequence.
    private static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// Removes `suffix` from the end of `bytes` if it is there (and, with `keepingSome`, something stays).
    private static func removeSuffix(_ suffix: String, from bytes: inout [UInt8], keepingSome: Bool = true) -> Bool {
        let tail = Array(suffix.utf8)
        guard bytes.count >= tail.count + (keepingSome ? 1 : 0), bytes.suffix(tail.count).elementsEqual(tail) else {
            return false
        }
        bytes.removeLast(tail.count)
        return true
    }
}
