extension SwiftRenderer {
    /// Support declarations: the message protocol, decoding errors, typed streams and the wire helpers.
    func renderSupport(into writer: inout CodeWriter) {
        let access = self.access
        let ns = self.ns
        writer.line()
        writer.block("extension \(ns)") { w in
            w.line("/// A generated parameters, reply or type struct: strict JSON conversion without Codable overhead.")
            w.block("\(access)protocol Message: Swift.Sendable") { w in
                w.line("/// Decodes a JSON object; `strict` also rejects undeclared fields.")
                w.line("init(jsonObject: VarlinkJSON.JSONObject, strict: Swift.Bool) throws")
                w.line("/// The JSON object for the wire.")
                w.line("var jsonObject: VarlinkJSON.JSONObject { get }")
            }
            w.line()
            w.line("/// Why a message does not match the interface: the offending path and the reason.")
            w.block(
                "\(access)struct InvalidMessage: Swift.Error, Swift.Sendable, Swift.Hashable, Swift.CustomStringConvertible"
            ) { w in
                w.line("/// Path components from the top-level field down (`[2]` for array elements).")
                w.line("\(access)var components: [Swift.String]")
                w.line("/// What is wrong.")
                w.line("\(access)var reason: Swift.String")
                w.line()
                w.block("\(access)init(components: [Swift.String] = [], reason: Swift.String)") { w in
                    w.line("self.components = components")
                    w.line("self.reason = reason")
                }
                w.line()
                w.line("/// The top-level field at fault: the `parameter` of `org.varlink.service.InvalidParameter`.")
                w.line("\(access)var parameter: Swift.String { components.first ?? \"\" }")
                w.line()
                w.line("/// The path to the value, e.g. `images[2].name`.")
                w.block("\(access)var path: Swift.String") { w in
                    w.line("var result = \"\"")
                    w.block("for component in components") { w in
                        w.line("if !result.isEmpty, !component.hasPrefix(\"[\") { result += \".\" }")
                        w.line("result += component")
                    }
                    w.line("return result")
                }
                w.line()
                w.line("\(access)var description: Swift.String { path.isEmpty ? reason : path + \": \" + reason }")
                w.line()
                w.block("func prefixed(by component: Swift.String) -> Self") { w in
                    w.line("var copy = self")
                    w.line("copy.components.insert(component, at: 0)")
                    w.line("return copy")
                }
            }
            w.line()
            w.line(
                "/// The replies of a `more` call, decoded; error replies of this interface are thrown as `\(ns).Error`."
            )
            w.block("\(access)struct ReplyStream<Element: \(ns).Message>: Swift.AsyncSequence, Swift.Sendable") { w in
                w.line("let base: Varlink.VarlinkReplyStream")
                w.line()
                w.block("init(_ base: Varlink.VarlinkReplyStream)") { w in w.line("self.base = base") }
                w.line()
                w.block("\(access)func makeAsyncIterator() -> AsyncIterator") { w in
                    w.line("AsyncIterator(base: base.makeAsyncIterator())")
                }
                w.line()
                w.line("/// Reads and decodes one reply at a time.")
                w.block("\(access)struct AsyncIterator: Swift.AsyncIteratorProtocol") { w in
                    w.line("var base: Varlink.VarlinkReplyStream.Iterator")
                    w.line()
                    w.block("\(access)mutating func next() async throws -> Element?") { w in
                        w.line("let object: VarlinkJSON.JSONObject?")
                        w.block("do") { w in w.line("object = try await base.next()") }
                        w.line("catch { throw \(ns).Client.typedError(error) }")
                        w.line("guard let object else { return nil }")
                        w.line("return try Element(jsonObject: object, strict: false)")
                    }
                }
            }
            w.line()
            w.line("/// Where a streaming method sends the replies before its last one (returned from the method).")
            w.block("\(access)struct ReplySink<Element: \(ns).Message>: Swift.Sendable") { w in
                w.line("/// The underlying reply of the call.")
                w.line("\(access)let reply: Varlink.VarlinkReply")
                w.line()
                w.block("\(access)init(_ reply: Varlink.VarlinkReply)") { w in w.line("self.reply = reply") }
                w.line()
                w.line("/// Whether the caller asked for `more`; without it only the returned reply is sent.")
                w.line("\(access)var isStreaming: Swift.Bool { reply.more }")
                w.line()
                w.line("/// Whether the caller is still connected.")
                w.line("\(access)var isConnected: Swift.Bool { reply.isConnected }")
                w.line()
                w.line("/// Sends one reply with `continues: true`, then waits while the client's buffer is full.")
                w.block("\(access)func send(_ element: Element) async") { w in
                    w.line("reply.notify(element.jsonObject)")
                    w.line("await reply.drain()")
                }
            }
        }
        writer.line()
        writer.raw(Self.wireHelpers(namespace: ns))
    }

    static func wireHelpers(namespace ns: String) -> String {
        """
        /// JSON conversion helpers of this file; errors carry the path to the offending value.
        private enum _Wire {
            typealias Invalid = \(ns).InvalidMessage

            static func required<T>(
                _ object: VarlinkJSON.JSONObject,
                _ key: Swift.String,
                _ body: (VarlinkJSON.JSONValue) throws -> T
            ) throws -> T {
                guard let value = object[key] else { throw Invalid(components: [key], reason: "required field is missing") }
                if case .null = value { throw Invalid(components: [key], reason: "null is not allowed here") }
                do { return try body(value) } catch let error as Invalid { throw error.prefixed(by: key) }
            }

            static func optional<T>(
                _ object: VarlinkJSON.JSONObject,
                _ key: Swift.String,
                _ body: (VarlinkJSON.JSONValue) throws -> T
            ) throws -> T? {
                guard let value = object[key] else { return nil }
                if case .null = value { return nil }
                do { return try body(value) } catch let error as Invalid { throw error.prefixed(by: key) }
            }

            static func rejectUnknown(_ object: VarlinkJSON.JSONObject, _ isKnown: (Swift.String) -> Swift.Bool) throws {
                for (key, _) in object where !isKnown(key) { throw Invalid(components: [key], reason: "unknown field") }
            }

            static func nullable<T>(_ value: VarlinkJSON.JSONValue, _ body: (VarlinkJSON.JSONValue) throws -> T) throws -> T? {
                if case .null = value { return nil }
                return try body(value)
            }

            static func array<T>(_ value: VarlinkJSON.JSONValue, _ body: (VarlinkJSON.JSONValue) throws -> T) throws -> [T] {
                guard case .array(let elements) = value else { throw mismatch("an array", value) }
                var result: [T] = []
                result.reserveCapacity(elements.count)
                for (index, element) in elements.enumerated() {
                    if case .null = element { throw Invalid(components: ["[\\(index)]"], reason: "null is not allowed here") }
                    do { result.append(try body(element)) } catch let error as Invalid { throw error.prefixed(by: "[\\(index)]") }
                }
                return result
            }

            static func map<T>(
                _ value: VarlinkJSON.JSONValue,
                _ body: (VarlinkJSON.JSONValue) throws -> T
            ) throws -> [Swift.String: T] {
                guard case .object(let object) = value else { throw mismatch("an object (string map)", value) }
                var result: [Swift.String: T] = [:]
                result.reserveCapacity(object.count)
                for (key, element) in object {
                    if case .null = element { throw Invalid(components: [key], reason: "null is not allowed here") }
                    do { result[key] = try body(element) } catch let error as Invalid { throw error.prefixed(by: key) }
                }
                return result
            }

            static func encodeMap<T>(
                _ map: [Swift.String: T],
                _ body: (T) -> VarlinkJSON.JSONValue
            ) -> VarlinkJSON.JSONObject {
                // Sorted keys keep the output deterministic.
                VarlinkJSON.JSONObject(uniqueMembers: map.sorted { $0.key < $1.key }.map { (key: $0.key, value: body($0.value)) })
            }

            static func bool(_ value: VarlinkJSON.JSONValue) throws -> Swift.Bool {
                guard case .bool(let result) = value else { throw mismatch("a boolean", value) }
                return result
            }

            static func int(_ value: VarlinkJSON.JSONValue) throws -> Swift.Int {
                switch value {
                case .int(let result): return Swift.Int(result)
                case .uint(let result):
                    guard let fitting = Swift.Int(exactly: result) else {
                        throw Invalid(reason: "integer \\(result) is out of range")
                    }
                    return fitting
                default: throw mismatch("an integer", value)
                }
            }

            static func double(_ value: VarlinkJSON.JSONValue) throws -> Swift.Double {
                switch value {
                case .double(let result): return result
                case .int(let result): return Swift.Double(result)
                case .uint(let result): return Swift.Double(result)
                default: throw mismatch("a number", value)
                }
            }

            static func string(_ value: VarlinkJSON.JSONValue) throws -> Swift.String {
                guard case .string(let result) = value else { throw mismatch("a string", value) }
                return result
            }

            static func object(_ value: VarlinkJSON.JSONValue) throws -> VarlinkJSON.JSONObject {
                guard case .object(let result) = value else { throw mismatch("an object", value) }
                return result
            }

            static func enumeration<E: Swift.RawRepresentable>(
                _ type: E.Type,
                _ value: VarlinkJSON.JSONValue
            ) throws -> E where E.RawValue == Swift.String {
                guard case .string(let raw) = value else { throw mismatch("an enum string", value) }
                guard let result = E(rawValue: raw) else { throw Invalid(reason: "'\\(raw)' is not a known value") }
                return result
            }

            static func mismatch(_ expected: Swift.String, _ value: VarlinkJSON.JSONValue) -> Invalid {
                let found: Swift.String
                switch value {
                case .null: found = "null"
                case .bool: found = "a boolean"
                case .int, .uint: found = "an integer"
                case .double: found = "a number"
                case .string: found = "a string"
                case .array: found = "an array"
                case .object: found = "an object"
                }
                return Invalid(reason: "expected \\(expected), found \\(found)")
            }
        }

        """
    }
}
