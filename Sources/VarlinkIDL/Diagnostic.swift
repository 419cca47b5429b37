/// One problem found in IDL text (or in a message checked against it).
///
/// Rendered like a compiler diagnostic: `file:line:column: error: expected ')'`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Sendable, Hashable {
        case note
        case warning
        case error
    }

    /// How serious the problem is.
    public var severity: Severity
    /// What is wrong, starting lowercase, without a final period.
    public var message: String
    /// The file the text came from, as the caller named it; `nil` for anonymous text.
    public var fileName: String?
    /// Where the problem is.
    public var location: SourceLocation

    public init(_ severity: Severity, _ message: String, at location: SourceLocation, fileName: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.fileName = fileName
    }

    /// `file:line:column: severity: message`, with `<input>` for anonymous text.
    public var description: String {
        "\(fileName ?? "<input>"):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// Receives diagnostics as they are found (the collector pattern of swift-openapi-generator).
public protocol DiagnosticCollector {
    /// Records one diagnostic.
    mutating func emit(_ diagnostic: Diagnostic)
}

/// Keeps every diagnostic, in the order emitted.
public struct DiagnosticList: DiagnosticCollector, Sendable, Hashable {
    /// The diagnostics so far.
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func emit(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Only the errors.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// The error thrown when IDL text is not acceptable: every error diagnostic found, first one first.
public struct IDLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All diagnostics (errors and warnings), in source order. Never empty.
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// The first error.
    public var first: Diagnostic { diagnostics.first { $0.severity == .error } ?? diagnostics[0] }

    /// One line per diagnostic.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
