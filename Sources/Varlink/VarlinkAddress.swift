/// Where a Varlink service lives.
///
/// Accepted spellings: `unix:/path`, `/path` (or `./path`), `unix:@name`, `@name`, and
/// `exec:/path/to/program [args…]` (client only: the program is started with the socket as fd 3, as
/// varlinkctl does). Parameters after `;` in a `unix:` address (`unix:/path;mode=0660`) are accepted
/// for compatibility with the python and Go tools; `mode=` is applied when the server binds.
public enum VarlinkAddress: Sendable, Hashable, CustomStringConvertible {
    /// A socket in the file system.
    case unixPath(String, mode: UInt32? = nil)
    /// A Linux abstract socket (name without the leading `@`).
    case abstract(String)
    /// A program started on a socket pair (client side only).
    case exec(program: String, arguments: [String])

    /// Parses an address string; throws `VarlinkAddressError` with the reason.
    public init(parsing text: String) throws(VarlinkAddressError) {
        if text.hasPrefix("exec:") {
            let words = text.dropFirst(5).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let program = words.first, !program.isEmpty else {
                throw VarlinkAddressError(address: text, reason: "exec: needs a program")
            }
            self = .exec(program: program, arguments: Array(words.dropFirst()))
            return
        }
        var rest = Substring(text)
        if rest.hasPrefix("unix:") {
            rest = rest.dropFirst(5)
        } else if !(rest.hasPrefix("/") || rest.hasPrefix("./") || rest.hasPrefix("@")) {
            throw VarlinkAddressError(
                address: text,
                reason: "expected unix:PATH, unix:@NAME, /PATH, @NAME or exec:PROGRAM"
            )
        }
        var mode: UInt32?
        if let semicolon = rest.firstIndex(of: ";") {
            for parameter in rest[rest.index(after: semicolon)...].split(separator: ";") {
                guard parameter.hasPrefix("mode=") else { continue }
                guard let value = UInt32(parameter.dropFirst(5), radix: 8), value <= 0o7777 else {
                    throw VarlinkAddressError(address: text, reason: "mode= must be an octal permission")
                }
                mode = value
            }
            rest = rest[..<semicolon]
        }
        if rest.hasPrefix("@") {
            let name = String(rest.dropFirst())
            guard !name.isEmpty else { throw VarlinkAddressError(address: text, reason: "abstract name is empty") }
            guard name.utf8.count <= Self.maximumNameLength else {
                throw VarlinkAddressError(address: text, reason: "name too long")
            }
            self = .abstract(name)
            return
        }
        guard !rest.isEmpty else { throw VarlinkAddressError(address: text, reason: "socket path is empty") }
        guard rest.utf8.count <= Self.maximumNameLength else {
            throw VarlinkAddressError(address: text, reason: "socket path longer than \(Self.maximumNameLength) bytes")
        }
        guard !rest.utf8.contains(0) else {
            throw VarlinkAddressError(address: text, reason: "socket path contains NUL")
        }
        self = .unixPath(String(rest), mode: mode)
    }

    /// The canonical spelling (`unix:/path`, `unix:@name`, `exec:program args`).
    public var description: String {
        switch self {
        case .unixPath(let path, let mode):
            if let mode { return "unix:\(path);mode=0\(String(mode, radix: 8))" }
            return "unix:\(path)"
        case .abstract(let name): return "unix:@\(name)"
        case .exec(let program, let arguments): return (["exec:" + program] + arguments).joined(separator: " ")
        }
    }

    /// sun_path holds 108 bytes including the terminating NUL.
    static let maximumNameLength = 107
}

/// An address string that could not be parsed.
public struct VarlinkAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public var address: String
    public var reason: String

    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    public var description: String { "invalid Varlink address '\(address)': \(reason)" }
}
