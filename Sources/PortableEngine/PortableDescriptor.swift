/// A `NAME.portable` descriptor: one small systemd-style INI file that says which root image,
/// extensions, unit prefixes, profile, copy mode and scope make up one portable service, so that
/// attach, reattach (an update: edit `Image=`, reattach the one file), detach and inspect take one
/// argument. What systemd issues #10235 and #34870 asked portabled for.
///
/// ```ini
/// [Portable]
/// Image=app_2.raw
/// Extension=app-debug.raw
/// Prefix=app app-helper
/// Profile=trusted
/// Copy=symlink
/// Runtime=no
/// ```
///
/// Paths are relative to the descriptor's directory (absolute ones stay as they are); they are host
/// paths, inside the tree with `--root`. The parser is strict: an unknown section or key, a repeated
/// single-valued key, a bad value or a missing `Image=` is an error naming the file and line. Errors
/// quote no line as a whole: berthd reads descriptors for any caller of its open methods.
package struct PortableDescriptor: Sendable, Hashable {
    /// The descriptor's own path.
    package var path: String
    /// The root image, absolute.
    package var image: String
    /// Extension images, absolute, in layering order (`Extension=` may repeat; empty clears the list).
    package var extensions: [String] = []
    /// Unit prefixes (`Prefix=`, whitespace-separated, may repeat; empty clears the list).
    package var prefixes: [String] = []
    /// A profile name, or an absolute profile path when the value contains a `/`.
    package var profile: String?
    package var copyMode: CopyMode?
    package var runtime: Bool?

    /// The file name suffix that makes an image argument a descriptor.
    package static let suffix = ".portable"
    /// Descriptors are a few lines; anything bigger is not one.
    static let sizeLimit = 64 * 1024

    /// Whether `image` (as given to attach, detach, …) names a descriptor.
    package static func isDescriptor(_ image: String) -> Bool {
        image.hasPrefix("/") && image.hasSuffix(suffix) && PortableNames.lastComponent(image).count > suffix.count
    }

    /// Parses `text`, the contents of the descriptor at `path` (absolute).
    package static func parse(_ text: String, path: String) throws(PortableError) -> PortableDescriptor {
        let directory = PortableNames.parent(path)
        var image: String?
        var descriptor = PortableDescriptor(path: path, image: "")
        var seen: Set<String> = []
        var inSection = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            func fail(_ reason: String) -> PortableError {
                .invalidArgument(parameter: "image", reason: "\(path):\(number): \(reason)")
            }
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line == "[Portable]" else {
                    throw fail("unknown section, expected [Portable]")
                }
                guard !inSection else { throw fail("[Portable] appears twice") }
                inSection = true
                continue
            }
            guard inSection else { throw fail("a line outside the [Portable] section") }
            guard let equals = line.firstIndex(of: "=") else { throw fail("expected KEY=VALUE") }
            let key = String(line[..<equals]).trimmingWhitespace()
            let value = String(line[line.index(after: equals)...]).trimmingWhitespace()
            if ["Image", "Profile", "Copy", "Runtime"].contains(key) {
                guard seen.insert(key).inserted else { throw fail("\(key)= is set twice") }
                guard !value.isEmpty else { throw fail("\(key)= is empty") }
            }
            guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw fail("\(key)= contains a control character")
            }
            switch key {
            case "Image":
                image = try absolute(value, in: directory) { fail($0) }
            case "Extension":
                if value.isEmpty {
                    descriptor.extensions = []
                } else {
                    descriptor.extensions.append(try absolute(value, in: directory) { fail($0) })
                }
            case "Prefix":
                let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                if words.isEmpty { descriptor.prefixes = [] }
                for word in words where !PortableNames.isValidFileName(word) || word.contains("/") {
                    throw fail("'\(word)' is not a valid unit name prefix")
                }
                descriptor.prefixes += words
            case "Profile":
                if value.contains("/") {
                    descriptor.profile = try absolute(value, in: directory) { fail($0) }
                } else {
                    guard PortableNames.isValidProfileName(value) else {
                        throw fail("'\(value)' is not a valid profile name")
                    }
                    descriptor.profile = value
                }
            case "Copy":
                guard let mode = CopyMode(rawValue: value) else {
                    throw fail("Copy= must be auto, copy, symlink or mixed, not '\(value)'")
                }
                descriptor.copyMode = mode
            case "Runtime":
                guard let flag = Self.boolean(value) else { throw fail("Runtime= must be a boolean, not '\(value)'") }
                descriptor.runtime = flag
            default:
                throw fail("unknown key '\(key)=' (known: Image, Extension, Prefix, Profile, Copy, Runtime)")
            }
        }
        guard let image else {
            throw .invalidArgument(parameter: "image", reason: "\(path): no Image= in [Portable]")
        }
        descriptor.image = image
        return descriptor
    }

    /// systemd's `parse_boolean` words.
    static func boolean(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "1", "yes", "y", "true", "t", "on": true
        case "0", "no", "n", "false", "f", "off": false
        default: nil
        }
    }

    /// `value` made absolute against `directory` and normalized; `..` may not climb above `/`.
    private static func absolute(
        _ value: String,
        in directory: String,
        _ fail: (String) -> PortableError
    ) throws(PortableError) -> String {
        let joined = value.hasPrefix("/") ? value : PortableNames.join(directory, value)
        var parts: [Substring] = []
        for component in joined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { throw fail("'\(value)' leads above /") }
                parts.removeLast()
            default: parts.append(component)
            }
        }
        // A trailing slash matters for vpick directories ("app.v/").
        let normalized = "/" + parts.joined(separator: "/") + (value.hasSuffix("/") && !parts.isEmpty ? "/" : "")
        return normalized
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (and a CR of a CRLF file).
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
