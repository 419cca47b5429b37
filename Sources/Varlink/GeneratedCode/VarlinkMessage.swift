public import VarlinkJSON

/// A struct generated from an IDL type, method parameters or reply: strict JSON conversion without
/// Codable's overhead.
///
/// Every generated interface names it `<Namespace>.Message`.
public protocol VarlinkMessage: Sendable {
    /// Decodes a JSON object; `strict` also rejects fields the interface does not declare.
    init(jsonObject: JSONObject, strict: Bool) throws
    /// The JSON object for the wire; `nil` fields are omitted.
    var jsonObject: JSONObject { get }
}
