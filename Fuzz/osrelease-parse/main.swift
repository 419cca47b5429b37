import PortableEngine

/// Any bytes (an untrusted image's os-release or extension-release): the parser never crashes; what it
/// accepts has one-line, unique keys and values without NUL; and writing the fields back out
/// double-quoted parses to the same fields (so nothing the parser returns depends on a lucky guess).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReleaseFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fields: [(key: String, value: String)]
    do {
        fields = try ReleaseFileParser.parse(bytes)
    } catch {
        precondition(error.line >= 0, "negative line number")
        precondition(!error.reason.isEmpty, "empty failure reason")
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        precondition(error.line <= lines, "failure line \(error.line) beyond the \(lines) input lines")
        return 0
    }
    var seen = Set<String>()
    for field in fields {
        // As in systemd's grammar a line may start with '=', which then begins the key ("=A=b" is key "=A"):
        // such keys match no field Berth reads. Keys never span lines or hold a NUL.
        precondition(!field.key.isEmpty && !field.key.utf8.contains { $0 == 0x0A || $0 == 0 }, "bad key")
        precondition(seen.insert(field.key).inserted, "duplicate key \(field.key)")
        // systemd's env-file grammar keeps control characters and (quoted) newlines in values: the drop-in
        // writer, not the parser, keeps them out of unit files. A NUL never gets through.
        precondition(!field.value.unicodeScalars.contains("\u{0}"), "NUL in value")
    }
    let rewritten = fields.map { "\($0.key)=\"\(quoted($0.value))\"\n" }.joined()
    let reparsed: [(key: String, value: String)]
    do {
        reparsed = try ReleaseFileParser.parse(Array(rewritten.utf8))
    } catch {
        preconditionFailure("rewritten fields do not parse: \(error)")
    }
    precondition(reparsed.map(\.key) == fields.map(\.key), "keys changed on rewrite")
    precondition(reparsed.map(\.value) == fields.map(\.value), "values changed on rewrite")
    return 0
}

/// Escapes what is special inside a double-quoted shell string (by scalar: a quote followed by a
/// combining mark is still a quote).
private func quoted(_ value: String) -> String {
    var result = String.UnicodeScalarView()
    for scalar in value.unicodeScalars {
        if scalar == "\"" || scalar == "\\" || scalar == "`" || scalar == "$" { result.append("\\") }
        result.append(scalar)
    }
    return String(result)
}
