/// Why a message does not match its interface: the path to the offending value and the reason.
///
/// Thrown by the decoders `varlink-codegen` generates (through `VarlinkMessageCoding`). A generated
/// `ServiceAdapter` answers it with `org.varlink.service.InvalidParameter` naming `parameter`.
public struct VarlinkMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Path components from the top-level field down (`[2]` for array elements).
    public var components: [String]
    /// What is wrong.
    public var reason: String

    public init(components: [String] = [], reason: String) {
        self.components = components
        self.reason = reason
    }

    /// The top-level field at fault: the `parameter` of `org.varlink.service.InvalidParameter`.
    public var parameter: String { components.first ?? "" }

    /// The path to the value, e.g. `images[2].name`.
    public var path: String {
        var result = ""
        for component in components {
            if !result.isEmpty, !component.hasPrefix("[") { result += "." }
            result += component
        }
        return result
    }

    public var description: String { path.isEmpty ? reason : path + ": " + reason }

    /// The same error one level further out, below `component` (a field name or `[index]`).
    public func prefixed(by component: String) -> Self {
        var copy = self
        copy.components.insert(component, at: 0)
        return copy
    }
}
