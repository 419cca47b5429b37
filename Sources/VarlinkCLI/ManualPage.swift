import ArgumentParser
import VarlinkJSON

/// Renders a man page (roff, `man(7)` macros) from an ArgumentParser command tree.
///
/// The tree comes from the parser's own help dump (the same data its `generate-manual` plugin uses,
/// which needs network access to build), so the page always matches `--help`.
enum ManualPage {
    static func render(_ root: any ParsableCommand.Type, section: Int = 1, source: String = "Berth") -> String {
        guard case .object(let dump)? = try? JSONParser.parse(root._dumpHelp()),
            let command = dump["command"]?.objectValue
        else { return "" }
        let name = command["commandName"]?.stringValue ?? "command"
        var page = Roff()
        page.line(".TH \(name.uppercased()) \(section) \"\" \"\(source)\" \"User Commands\"")
        page.line(".SH NAME")
        page.text("\(name) - \(command["abstract"]?.stringValue ?? "")")
        page.line(".SH SYNOPSIS")
        page.line(".B \(name)")
        page.line(".I COMMAND")
        page.text("[OPTIONS] [ARGUMENTS]")
        if let discussion = command["discussion"]?.stringValue {
            page.line(".SH DESCRIPTION")
            page.discussion(discussion)
        }
        page.line(".SH COMMANDS")
        for subcommand in command["subcommands"]?.arrayValue ?? [] {
            guard let sub = subcommand.objectValue, sub["shouldDisplay"]?.boolValue ?? true,
                sub["commandName"]?.stringValue != "help"
            else { continue }
            page.subcommand(sub, parent: name)
        }
        page.line(".SH OPTIONS")
        page.options(command["arguments"]?.arrayValue ?? [])
        page.line(".SH \"SEE ALSO\"")
        page.text("varlinkctl(1), berthctl(1)")
        return page.output
    }
}

/// A small roff writer: escapes text and knows the few macros the page uses.
private struct Roff {
    var output = ""

    mutating func line(_ macro: String) { output += macro + "\n" }

    mutating func text(_ text: String) { output += Self.escape(text) + "\n" }

    /// Paragraphs separated by blank lines; indented lines keep their layout.
    mutating func discussion(_ body: String) {
        var preformatted = false
        for raw in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.isEmpty {
                if preformatted { endPreformatted(&preformatted) }
                self.line(".PP")
            } else if line.hasPrefix(" ") {
                if !preformatted {
                    self.line(".nf")
                    self.line(".RS 4")
                    preformatted = true
                }
                text(String(line.dropFirst(2)))
            } else {
                if preformatted { endPreformatted(&preformatted) }
                text(line)
            }
        }
        if preformatted { endPreformatted(&preformatted) }
    }

    private mutating func endPreformatted(_ flag: inout Bool) {
        line(".RE")
        line(".fi")
        flag = false
    }

    mutating func subcommand(_ command: JSONObject, parent: String) {
        let name = command["commandName"]?.stringValue ?? ""
        let arguments = command["arguments"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let positionals = arguments.filter {
            $0["kind"]?.stringValue == "positional" && ($0["shouldDisplay"]?.boolValue ?? true)
        }
        let synopsis = positionals.map { argument -> String in
            let value = (argument["valueName"]?.stringValue ?? "value").uppercased()
            let repeated = argument["isRepeating"]?.boolValue == true ? "..." : ""
            return argument["isOptional"]?.boolValue == true ? "[\(value)\(repeated)]" : "\(value)\(repeated)"
        }
        line(".SS \"\(Self.escape(([parent, name] + synopsis).joined(separator: " ")))\"")
        if let abstract = command["abstract"]?.stringValue { text(abstract) }
        if let discussion = command["discussion"]?.stringValue {
            line(".PP")
            self.discussion(discussion)
        }
        options(arguments.map { .object($0) })
    }

    mutating func options(_ arguments: [JSONValue]) {
        for case .object(let argument) in arguments {
            guard argument["shouldDisplay"]?.boolValue ?? true, argument["kind"]?.stringValue != "positional" else {
                continue
            }
            let names = (argument["names"]?.arrayValue ?? []).compactMap(\.objectValue).compactMap { name -> String? in
                guard let text = name["name"]?.stringValue else { return nil }
                return name["kind"]?.stringValue == "short"
                    ? "\\fB\\-\(text)\\fR" : "\\fB\\-\\-\(Self.escape(text))\\fR"
            }
            guard !names.isEmpty else { continue }
            var head = names.joined(separator: ", ")
            if argument["kind"]?.stringValue == "option" {
                head += "=\\fI\(Self.escape(argument["valueName"]?.stringValue ?? "value"))\\fR"
            }
            line(".TP")
            line(head)
            var description = argument["abstract"]?.stringValue ?? ""
            if let defaultValue = argument["defaultValue"]?.stringValue, argument["kind"]?.stringValue == "option" {
                description += " (default: \(defaultValue))"
            }
            text(description)
            if let discussion = argument["discussion"]?.stringValue { text(discussion) }
        }
    }

    /// Escapes roff's special characters; a leading `.` or `'` would be read as a macro.
    static func escape(_ text: String) -> String {
        var result = text.replacingAll("\\", with: "\\e").replacingAll("-", with: "\\-")
        if result.hasPrefix(".") || result.hasPrefix("'") { result = "\\&" + result }
        return result
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
