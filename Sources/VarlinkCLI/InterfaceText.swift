import VarlinkIDL

/// The CLI's one door to the IDL library: parse service or file text, render it back.
enum InterfaceText {
    static func parse(_ text: String, fileName: String) throws(IDLError) -> IDLInterface {
        try IDLParser.parse(text, fileName: fileName)
    }

    /// The canonical text of a whole interface.
    static func format(_ interface: IDLInterface) -> String {
        IDLFormatter.format(interface)
    }

    /// The canonical text of one member (with its documentation), without the `interface` line.
    static func format(_ member: IDLMember, of interface: IDLInterface) -> String {
        var single = interface
        single.documentation = []
        single.members = [member]
        let lines = IDLFormatter.format(single).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.firstIndex(where: { $0.hasPrefix("interface ") }) else {
            return lines.joined(separator: "\n")
        }
        return lines[(header + 1)...].drop { $0.isEmpty }.joined(separator: "\n")
    }
}

extension IDLError {
    /// The first error as `line:column: message`, for one-line warnings.
    var summary: String {
        guard !diagnostics.isEmpty else { return "invalid interface definition" }
        let diagnostic = first
        return "\(diagnostic.location.line):\(diagnostic.location.column): \(diagnostic.message)"
    }
}
