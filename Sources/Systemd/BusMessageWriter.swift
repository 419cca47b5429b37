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
        try appendBasic(BusType.boolean, Int32(flag ? 1 : 0))
    }

    package func append(_ number: UInt64) throws(SystemdError) {
        try appendBasic(BusType.uint64, number)
    }

    /// A fixed-size value (`b` as an `Int32`, integers, `d`, `h`) of D-Bus type `type`.
    func appendBasic<Value: BitwiseCopyable>(_ type: CChar, _ value: Value) throws(SystemdError) {
        var storage = value
        try SDBus.check("sd_bus_message_append_basic", sd_bus_message_append_basic(message, type, &storage))
    }

    /// A string-like value (`s`, `o`, `g`). `withCString` lends a native string's own NUL-terminated
    /// storage; a NUL inside would silently cut the string short, so a C length other than the UTF-8 count
    /// is refused.
    func appendText(_ type: CChar, _ text: String) throws(SystemdError) {
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
        try container(type, signature) { () throws(SystemdError) in try body(self) }
    }

    /// A container of D-Bus type `type` (`a`, `r`, `e`, `v`) with the signature `contents`; `body`
    /// appends what it holds.
    func container(
        _ type: CChar,
        _ contents: UnsafePointer<CChar>,
        _ body: () throws(SystemdError) -> Void
    ) throws(SystemdError) {
        try SDBus.check("sd_bus_message_open_container", sd_bus_message_open_container(message, type, contents))
        try body()
        try SDBus.check("sd_bus_message_close_container", sd_bus_message_close_container(message))
    }
}
