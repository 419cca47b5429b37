package import Varlink
import VarlinkJSON

/// Certifies a server: calls every method of `org.varlink.certification` in order, passing each
/// reply on as the next call's input, and checks each reply's shape. Unknown reply members are
/// ignored (python ≤ 31 adds `client_id` to Test09's reply).
package struct CertificationClient: Sendable {
    /// One step's outcome.
    package struct Step: Sendable, CustomStringConvertible {
        package var method: String
        package var passed: Bool
        /// The reply (or what went wrong), for the log.
        package var detail: String

        package var description: String { "\(method): \(passed ? "ok" : "FAILED") \(detail)" }
    }

    /// The outcome of a run: every step that was attempted.
    package struct Report: Sendable {
        package var steps: [Step]
        /// Whether all thirteen steps ran and passed.
        package var passed: Bool {
            steps.count == CertificationInterface.methodSequence.count && steps.allSatisfy(\.passed)
        }
    }

    struct StepFailure: Error {
        var message: String
    }

    private let client: VarlinkClient

    package init(client: VarlinkClient) {
        self.client = client
    }

    /// Runs the certification; stops at the first failing step. `log` sees each step as it ends.
    package func run(log: (Step) -> Void = { _ in }) async -> Report {
        var steps: [Step] = []
        func record(_ method: String, _ body: () async throws -> String) async -> Bool {
            let step: Step
            do {
                step = Step(method: method, passed: true, detail: try await body())
            } catch let failure as StepFailure {
                step = Step(method: method, passed: false, detail: failure.message)
            } catch {
                step = Step(method: method, passed: false, detail: "\(error)")
            }
            steps.append(step)
            log(step)
            return step.passed
        }

        var clientID = ""
        var previous: JSONObject = [:]
        var streamed: [JSONValue] = []
        let prefix = CertificationInterface.name + "."

        func call(
            _ method: String,
            _ parameters: JSONObject,
            expecting fields: [(String, Shape)]
        ) async throws -> String {
            var parameters = parameters
            parameters["client_id"] = .string(clientID)
            let reply = try await client.call(prefix + method, parameters: parameters)
            try Self.check(reply, fields)
            previous = reply
            return JSONSerializer.string(.object(reply))
        }

        guard
            await record(
                "Start",
                {
                    let reply = try await client.call(prefix + "Start")
                    try Self.check(reply, [("client_id", .string)])
                    clientID = reply["client_id"]!.stringValue!
                    return JSONSerializer.string(.object(reply))
                }
            )
        else { return Report(steps: steps) }
        guard await record("Test01", { try await call("Test01", [:], expecting: [("bool", .bool)]) }) else {
            return Report(steps: steps)
        }
        guard
            await record(
                "Test02",
                { try await call("Test02", ["bool": previous["bool"]!], expecting: [("int", .int)]) }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test03",
                { try await call("Test03", ["int": previous["int"]!], expecting: [("float", .float)]) }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test04",
                {
                    try await call("Test04", ["float": previous["float"]!], expecting: [("string", .string)])
                }
            )
        else { return Report(steps: steps) }
        let scalarFields: [(String, Shape)] = [("bool", .bool), ("int", .int), ("float", .float), ("string", .string)]
        guard
            await record(
                "Test05",
                {
                    try await call("Test05", ["string": previous["string"]!], expecting: scalarFields)
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test06",
                {
                    var parameters: JSONObject = [:]
                    for (key, _) in scalarFields { parameters[key] = previous[key] }
                    return try await call("Test06", parameters, expecting: [("struct", .object(scalarFields))])
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test07",
                {
                    try await call("Test07", ["struct": previous["struct"]!], expecting: [("map", .map(.string))])
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test08",
                {
                    try await call("Test08", ["map": previous["map"]!], expecting: [("set", .map(.object([])))])
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test09",
                {
                    try await call("Test09", ["set": previous["set"]!], expecting: [("mytype", Self.myTypeShape)])
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test10",
                {
                    let parameters: JSONObject = ["client_id": .string(clientID), "mytype": previous["mytype"]!]
                    var finished = false
                    for try await message in client.stream(prefix + "Test10", parameters: parameters).messages {
                        guard !finished else { throw StepFailure(message: "reply after the final one") }
                        try Self.check(message.parameters, [("string", .string)])
                        streamed.append(message.parameters["string"]!)
                        finished = !message.continues
                    }
                    guard finished, !streamed.isEmpty else {
                        throw StepFailure(message: "stream ended without a final reply")
                    }
                    return "\(streamed.count) replies"
                }
            )
        else { return Report(steps: steps) }
        guard
            await record(
                "Test11",
                {
                    let parameters: JSONObject = [
                        "client_id": .string(clientID), "last_more_replies": .array(streamed),
                    ]
                    try await client.oneway(prefix + "Test11", parameters: parameters)
                    return "sent oneway"
                }
            )
        else { return Report(steps: steps) }
        _ = await record("End") {
            let reply = try await call("End", [:], expecting: [("all_ok", .bool)])
            guard previous["all_ok"] == true else {
                throw StepFailure(message: "server says all_ok is false: \(reply)")
            }
            return reply
        }
        return Report(steps: steps)
    }

    /// The expected type of a reply member.
    indirect enum Shape: Sendable {
        case bool, int, float, string, any
        case object([(String, Shape)])
        case map(Shape)
        case optional(Shape)
        case array(Shape)
        case enumeration([String])
    }

    static let myTypeShape = Shape.object([
        ("object", .map(.any)),
        ("enum", .enumeration(["one", "two", "three"])),
        ("struct", .object([("first", .int), ("second", .string)])),
        ("array", .array(.string)),
        ("dictionary", .map(.string)),
        ("stringset", .map(.object([]))),
        ("nullable", .optional(.string)),
        ("nullable_array_struct", .optional(.array(.object([("first", .int), ("second", .string)])))),
        (
            "interface",
            .object([
                ("foo", .optional(.array(.optional(.map(.enumeration(["foo", "bar", "baz"])))))),
                ("anon", .object([("foo", .bool), ("bar", .bool)])),
            ])
        ),
    ])

    static func check(_ object: JSONObject, _ fields: [(String, Shape)], path: String = "") throws {
        for (key, shape) in fields {
            try check(object[key] ?? .null, shape, path: path.isEmpty ? key : "\(path).\(key)")
        }
    }

    static func check(_ value: JSONValue, _ shape: Shape, path: String) throws {
        func fail() -> StepFailure {
            StepFailure(message: "\(path): unexpected \(JSONSerializer.string(value))")
        }
        switch (shape, value) {
        case (.optional, .null): return
        case (.optional(let inner), _): try check(value, inner, path: path)
        case (.any, _): return
        case (.bool, .bool), (.string, .string): return
        case (.int, .int), (.int, .uint): return
        case (.float, .int), (.float, .uint), (.float, .double): return
        case (.enumeration(let names), .string(let name)): if !names.contains(name) { throw fail() }
        case (.object(let fields), .object(let object)): try check(object, fields, path: path)
        case (.map(let inner), .object(let object)):
            for (key, element) in object { try check(element, inner, path: "\(path).\(key)") }
        case (.array(let inner), .array(let elements)):
            for (index, element) in elements.enumerated() { try check(element, inner, path: "\(path)[\(index)]") }
        default: throw fail()
        }
    }
}
