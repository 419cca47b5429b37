import VarlinkJSON

/// One connection to a service, with the CLI's error mapping: connection problems become
/// `ToolError`s with their exit status, Varlink error replies become `RemoteFailure`s.
final class ServiceConnection {
    let address: String
    let timeout: ReplyTimeout

    private init(address: String, timeout: ReplyTimeout) {
        self.address = address
        self.timeout = timeout
    }

    static func open(_ address: String, timeout: ReplyTimeout) async throws(ToolError) -> ServiceConnection {
        throw ToolError(
            "Failed to connect to \(address): the Varlink client is not available yet",
            status: .unreachable
        )
    }

    /// `org.varlink.service.GetInfo`; an error reply is a failure of the command.
    func getInfo() async throws -> JSONObject {
        try await serviceCall("GetInfo", [:])
    }

    /// `org.varlink.service.GetInterfaceDescription`; an error reply is a failure of the command.
    func interfaceDescription(_ interface: String) async throws -> String {
        do {
            return try await interfaceDescriptionReply(interface)
        } catch let failure as RemoteFailure {
            throw ToolError("Interface '\(interface)': \(failure.summary)", status: failure.status)
        }
    }

    /// `org.varlink.service.GetInterfaceDescription`, error replies thrown as `RemoteFailure`.
    func interfaceDescriptionReply(_ interface: String) async throws -> String {
        let reply = try await call(
            try MethodName(parsing: "org.varlink.service.GetInterfaceDescription"),
            ["interface": .string(interface)]
        )
        guard let description = reply["description"]?.stringValue else {
            throw ToolError(
                "Invalid reply from \(address): GetInterfaceDescription returned no 'description' string",
                status: .connectionLost
            )
        }
        return description
    }

    private func serviceCall(_ member: String, _ parameters: JSONObject) async throws -> JSONObject {
        let method = try MethodName(parsing: "org.varlink.service." + member)
        do {
            return try await call(method, parameters)
        } catch let failure as RemoteFailure {
            throw ToolError("Method call \(method)() failed: \(failure.summary)", status: failure.status)
        }
    }

    func call(_ method: MethodName, _ parameters: JSONObject) async throws -> JSONObject {
        throw ToolError("not available", status: .unreachable)
    }

    func stream(_ method: MethodName, _ parameters: JSONObject, onReply: (JSONObject) -> Void) async throws {
        throw ToolError("not available", status: .unreachable)
    }

    func oneway(_ method: MethodName, _ parameters: JSONObject) async throws {
        throw ToolError("not available", status: .unreachable)
    }

    func close() {}
}
