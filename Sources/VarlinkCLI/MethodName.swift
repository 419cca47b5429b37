/// A fully qualified method name `interface.Method`, checked before anything is sent.
struct MethodName: Sendable, Equatable, CustomStringConvertible {
    /// The interface part, e.g. `org.varlink.service`.
    let interface: String
    /// The member part, e.g. `GetInfo`.
    let member: String

    var description: String { "\(interface).\(member)" }

    /// Splits at the last dot (as the protocol does) and checks both halves' syntax.
    init(parsing text: String) throws(ToolError) {
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex else {
            throw ToolError(
                "Invalid method name '\(text)': expected INTERFACE.Method, e.g. org.varlink.service.GetInfo",
                status: .usage
            )
        }
        let interface = String(text[..<dot])
        let member = String(text[text.index(after: dot)...])
        guard Self.isValidInterfaceName(interface) else {
            throw ToolError(
                "Invalid interface name '\(interface)' in '\(text)': expected reverse-domain form such as "
                    + "org.example.service",
                status: .usage
            )
        }
        guard Self.isValidMemberName(member) else {
            throw ToolError(
                "Invalid method name '\(member)' in '\(text)': must start with an upper-case letter and "
                    + "contain only letters and digits",
                status: .usage
            )
        }
        self.interface = interface
        self.member = member
    }

    /// The spec's interface name rule: dot-separated labels of letters, digits and inner dashes,
    /// at least two labels, the first starting with a letter.
    static func isValidInterfaceName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.first?.first?.isASCIILetter == true else { return false }
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
            return label.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" }
        }
    }

    /// The spec's member name rule: an upper-case letter followed by letters and digits.
    static func isValidMemberName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isUppercase else { return false }
        return name.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit }
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension MethodName {
    /// An error name has the same shape as a method name: `interface.ErrorName`.
    static func isValidErrorName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return isValidInterfaceName(String(name[..<dot])) && isValidMemberName(String(name[name.index(after: dot)...]))
    }
}
