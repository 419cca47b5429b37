/// A coding key for dictionary members and array positions, and for coding-path text.
public struct JSONCodingKey: CodingKey, Sendable, Hashable {
    public let stringValue: String
    public let intValue: Int?

    public init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    public init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    /// The key for array position `index`.
    public init(index: Int) { self.init(intValue: index) }
}

/// Renders coding paths the way Varlink errors and CLI messages show them: `a.b[2].c`.
public enum CodingPathFormatter {
    /// The dotted path, or `<root>` for the top level.
    public static func describe(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text.isEmpty ? "<root>" : text
    }

    /// The first member name in the path (what `org.varlink.service.InvalidParameter` names).
    public static func topLevelKey(_ path: [any CodingKey]) -> String? {
        path.first.map(\.stringValue)
    }
}

extension DecodingError {
    /// The coding path where decoding failed, including the missing key for `keyNotFound`.
    public var fullCodingPath: [any CodingKey] {
        switch self {
        case .keyNotFound(let key, let context): return context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath
        @unknown default: return []
        }
    }

    /// A one-line explanation naming the path, e.g. `mytype.struct.first: expected Int, found string`.
    public var readableDescription: String {
        switch self {
        case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .dataCorrupted(let context):
            return "\(CodingPathFormatter.describe(fullCodingPath)): \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
