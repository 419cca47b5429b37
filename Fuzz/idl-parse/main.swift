import VarlinkIDL
import VarlinkJSON

/// Any bytes: the parser never crashes, diagnostics point inside the input, and whatever parses
/// formats to text that parses again and formats identically (the formatter is idempotent).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDLParse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let byteCount = text.utf8.count
    var diagnostics = DiagnosticList()
    let interface = IDLParser.parse(text, fileName: "fuzz.varlink", diagnostics: &diagnostics)
    for diagnostic in diagnostics.diagnostics {
        precondition(diagnostic.location.offset >= 0 && diagnostic.location.offset <= byteCount, "offset outside input")
        precondition(diagnostic.location.line >= 1 && diagnostic.location.column >= 1, "bad line/column")
        precondition(!diagnostic.message.isEmpty, "empty message")
    }
    precondition(interface != nil || diagnostics.hasErrors, "no interface and no error")
    guard let interface, !diagnostics.hasErrors else { return 0 }
    let formatted = IDLFormatter.format(interface)
    let reparsed: IDLInterface
    do {
        reparsed = try IDLParser.parse(formatted)
    } catch {
        preconditionFailure("formatted text does not parse: \(error)")
    }
    precondition(IDLFormatter.format(reparsed) == formatted, "formatter not idempotent")
    precondition(reparsed.members.map(\.name) == interface.members.map(\.name), "members changed")
    _ = IDLSystemdCompatibility.check(interface)
    let validator = IDLValidator(interface: interface)
    for method in interface.methods {
        _ = try? validator.validateParameters([:], method: method.name)
    }
    return 0
}
