internal import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Writes values straight into a message being built, field by field: for replies with hundreds of
/// entries (ListImages), where a `BusValue` tree first cost an allocation per field and a second walk.
/// Does not own the message: valid only inside the closure that hands it out.
package struct BusMessageWriter {
    let message: OpaquePointer

    init(_ message: OpaquePointer) {
        self.message = message
    }

    /// `a<element>`: `body` appends the elements.
    package func array(
        of element: StaticString,
        _ body: (BusMessageWriter) throws(SystemdError) -> Void
    ) throws(SystemdError) {
        try container(BusType.array, element, body)
    }

    /// `(<contents>)`: `body` appends the fields.
    package func structure(
        _ contents: StaticString,
        _ body: (BusMessageWriter) throws(SystemdError) -> Void
    ) throws(SystemdError) {
        try container(BusType.structBegin, contents, body)
    }

    package func append(string: String) throws(SystemdError) {
        try appendText(BusType.string, string)
    }

    /// An object path already in a NUL-terminated buffer (built in place, no `String`).
    package func append(objectPath: UnsafePointer<CChar>) throws(SystemdError) {
        try SDBus.check(
            "sd_bus_message_append_basic",
            sd_bus_message_append_basic(message, BusType.objectPath, objectPath)
        )
    }

    package func append(_ flag: Bool) throws(SystemdError) {
        var value: Int32 = flag ? 1 : 0
        try SDBus.check("sd_bus_message_append_basic", sd_bus_message_append_basic(message, BusType.boolean, &value))
    }

    package func append(_ number: UInt64) throws(SystemdError) {
        var value = number
        try SDBus.check("sd_bus_message_append_basic", sd_bus_message_append_basic(message, BusType.uint64, &value))
    }

    /// `withCString` lends a native string's own NUL-terminated storage; a NUL inside would silently cut
    /// the string short, so a C length other than the UTF-8 count is refused.
    private func appendText(_ type: CChar, _ text: String) throws(SystemdError) {
        let result = text.withCString { pointer -> Int32? in
            guard strlen(pointer) == text.utf8.count else { return nil }
            return sd_bus_message_append_basic(message, type, pointer)
        }
        guard let result else { throw .invalidArgument("D-Bus strings cannot contain NUL bytes") }
        try SDBus.check("sd_bus_message_append_basic", result)
    }

    private func container(
        _ type: CChar,
        _ contents: StaticString,
        _ body: (BusMessageWriter) throws(SystemdError) -> Void
    ) throws(SystemdError) {
        // A StaticString's bytes are a NUL-terminated literal.
        let signature = UnsafeRawPointer(contents.utf8Start).assumingMemoryBound(to: CChar.self)
        let opened = sd_bus_message_open_container(message, type, signature)
        try SDBus.check("sd_bus_message_open_container", opened)
        try body(self)
        try SDBus.check("sd_bus_message_close_container", sd_bus_message_close_container(message))
    }
}
