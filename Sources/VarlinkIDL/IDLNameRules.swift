/// The name rules of the Varlink specification (varlink.org and UAPI.20).
public enum IDLNameRules {
    /// Why `name` is not a valid interface name, or `nil` when it is.
    ///
    /// Rule: `[A-Za-z]([-]*[A-Za-z0-9])*(\.[A-Za-z0-9]([-]*[A-Za-z0-9])*)+`, at most 255 characters:
    /// at least two dot-separated labels, the first starting with a letter, dashes only inside labels.
    public static func interfaceNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty else { return "the interface name is empty" }
        guard bytes.count <= 255 else { return "the interface name is longer than 255 characters" }
        guard isLetter(bytes[0]) else { return "an interface name must start with a letter" }
        var labels = 0
        var labelStart = true
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                if labelStart { return "an interface name cannot contain an empty label ('..' or a leading '.')" }
                if bytes[index - 1] == UInt8(ascii: "-") { return "a label of an interface name cannot end with '-'" }
                labels += 1
                labelStart = true
                continue
            }
            if byte == UInt8(ascii: "-") {
                if labelStart { return "a label of an interface name cannot start with '-'" }
                continue
            }
            guard isLetter(byte) || isDigit(byte) else {
                return "an interface name may contain only letters, digits, '-' and '.'"
            }
            labelStart = false
        }
        if labelStart { return "an interface name cannot end with '.'" }
        if bytes.last == UInt8(ascii: "-") { return "a label of an interface name cannot end with '-'" }
        guard labels >= 1 else { return "an interface name needs at least two dot-separated labels" }
        return nil
    }

    /// Why `name` is not a valid type, method or error name (`[A-Z][A-Za-z0-9]*`), or `nil`.
    public static func memberNameProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "the name is empty" }
        guard first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") else {
            return "type, method and error names must start with an uppercase letter"
        }
        guard name.utf8.allSatisfy({ isLetter($0) || isDigit($0) }) else {
            return "type, method and error names may contain only letters and digits"
        }
        return nil
    }

    /// Why `name` is not a valid field name or enum value (`[A-Za-z](_?[A-Za-z0-9])*`), or `nil`.
    public static func fieldNameProblem(_ name: String) -> String? {
        var previous: UInt8 = 0
        var isFirst = true
        for byte in name.utf8 {
            if isFirst {
                guard isLetter(byte) else { return "field names and enum values must start with a letter" }
                isFirst = false
            } else if byte == UInt8(ascii: "_") {
                if previous == UInt8(ascii: "_") { return "field names and enum values cannot contain '__'" }
            } else if !(isLetter(byte) || isDigit(byte)) {
                return "field names and enum values may contain only letters, digits and single '_'"
            }
            previous = byte
        }
        if isFirst { return "the name is empty" }
        if previous == UInt8(ascii: "_") { return "field names and enum values cannot end with '_'" }
        return nil
    }

    /// Why `name` is not a valid type reference (a member name, optionally qualified), or `nil`.
    static func typeReferenceProblem(_ name: String) -> String? {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")) else { return memberNameProblem(name) }
        let interface = String(name[..<dot])
        let member = String(name[name.index(after: dot)...])
        return interfaceNameProblem(interface) ?? memberNameProblem(member)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
