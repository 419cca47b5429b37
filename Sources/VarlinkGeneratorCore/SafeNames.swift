/// Turns IDL names into Swift identifiers: casing conventions and keyword escaping.
enum SafeNames {
    /// Words that need backticks as identifiers (declaration and expression keywords, plus the
    /// contextual ones that break member declarations).
    static let keywords: Set<String> = [
        "associatedtype", "borrowing", "class", "consuming", "deinit", "enum", "extension", "fileprivate", "func",
        "import", "init", "inout", "internal", "let", "nonisolated", "open", "operator", "package", "private",
        "precedencegroup", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
        "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if",
        "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil",
        "self", "Self", "super", "throws", "true", "try", "Type", "Protocol", "_",
    ]

    /// An argument label at a call site: only `inout`, `var` and `let` need backticks there.
    static func label(_ identifier: String) -> String {
        let bare = identifier.hasPrefix("`") ? String(identifier.dropFirst().dropLast()) : identifier
        return ["inout", "var", "let"].contains(bare) ? "`\(bare)`" : bare
    }

    /// `name` with backticks when it is a keyword.
    static func identifier(_ name: String) -> String { keywords.contains(name) ? "`\(name)`" : name }

    /// `GetInterfaceDescription` → `getInterfaceDescription`, `URLFor` → `urlFor`, `OSRelease` → `osRelease`.
    static func lowerCamel(_ name: String) -> String {
        let scalars = Array(name)
        var upperRun = 0
        while upperRun < scalars.count, scalars[upperRun].isUppercase { upperRun += 1 }
        guard upperRun > 0 else { return camelFromSnake(name) }
        let lowered: Int
        if upperRun == scalars.count {
            lowered = upperRun
        } else if upperRun == 1 {
            lowered = 1
        } else {
            lowered = upperRun - 1
        }
        return camelFromSnake(String(scalars[..<lowered]).lowercased() + String(scalars[lowered...]))
    }

    /// `attached_runtime` → `attachedRuntime`; keeps other characters.
    static func camelFromSnake(_ name: String) -> String {
        guard name.contains("_") else { return name }
        var result = ""
        var upperNext = false
        for character in name {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `client_id` → `ClientId`, `struct` → `Struct`: a nested type name for an anonymous type.
    static func upperCamel(_ name: String) -> String {
        let camel = camelFromSnake(name)
        guard let first = camel.first else { return camel }
        return first.uppercased() + camel.dropFirst()
    }

    /// `io.berth.Portable` → `Portable`, `org.varlink.service` → `Service`, `io.systemd` → `Systemd`.
    static func namespace(forInterface name: String) -> String {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        let parts = last.split(separator: "-").map { upperCamel(String($0)) }
        return parts.joined()
    }

    /// A Swift string literal for `text` (quotes, backslashes and control characters escaped).
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
