import PortableEngine

/// Any bytes (an untrusted image's os-release or extension-release): the parser never crashes; what it
/// accepts has valid, unique keys and values without control characters; and writing the fields back out
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
        precondition(!field.key.isEmpty && !field.key.utf8.contains(UInt8(ascii: "=")), "bad key")
        precondition(seen.insert(field.key).inserted, "duplicate key \(field.key)")
        precondition(
            !field.value.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F },
            "control character in value"
        )
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
