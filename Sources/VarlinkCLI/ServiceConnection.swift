import SystemCalls
import Varlink
import VarlinkJSON

/// One connection to a service, with the CLI's error mapping: connection problems become
/// `ToolError`s with their exit status, Varlink error replies become `RemoteFailure`s.
final class ServiceConnection: Sendable {
    /// The address as the user wrote it, for messages.
    let address: String
    let timeout: ReplyTimeout
    private let client: VarlinkClient

    private init(address: String, timeout: ReplyTimeout, client: VarlinkClient) {
        self.address = address
        self.timeout = timeout
        self.client = client
    }

    /// Connects (or starts the `exec:` program). Address syntax errors are usage errors.
    static func open(_ address: String, timeout: ReplyTimeout) async throws(ToolError) -> ServiceConnection {
        var parsed: VarlinkAddress
        if let ssh = try SSHAddress.parse(address) {
            parsed = ssh
        } else {
            do {
                parsed = try VarlinkAddress(parsing: normalized(address))
            } catch {
                throw ToolError(error.description, status: .usage)
            }
        }
        if case .exec(let program, let arguments) = parsed {
            // Checked here because a failed exec in the child only shows up as a closed connection.
            guard let resolved = executablePath(program) else {
                throw ToolError("Cannot start \(program): no such executable file", status: .unreachable)
            }
            parsed = .exec(program: resolved, arguments: arguments)
        }
        do {
            let client = try await VarlinkClient.connect(to: parsed, timeout: timeout.duration)
            return ServiceConnection(address: address, timeout: timeout, client: client)
        } catch {
            throw describe(error, address: address, during: nil, timeout: timeout)
        }
    }

    /// `program` itself when it names an executable file; a bare name is looked up in `PATH`.
    private static func executablePath(_ program: String) -> String? {
        if program.contains("/") { return Posix.isExecutableFile(program) ? program : nil }
        let path = Posix.environmentValue("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").lazy.map { "\($0)/\(program)" }.first(where: Posix.isExecutableFile)
    }

    /// varlinkctl accepts relative socket paths such as `run/sock`; the library wants `./` for those.
    private static func normalized(_ address: String) -> String {
        let schemes = ["unix:", "exec:", "/", "./", "../", "@"]
        if schemes.contains(where: address.hasPrefix) || !address.contains("/") { return address }
        if let colon = address.firstIndex(of: ":"), let slash = address.firstIndex(of: "/"), colon < slash {
            return address  // some other scheme: let the parser name it
        }
        return "./" + address
    }

    func close() { client.close() }

    // MARK: - org.varlink.service

    /// `org.varlink.service.GetInfo`; an error reply is a failure of the command.
    func getInfo() async throws -> JSONObject {
        let method = try MethodName(parsing: "org.varlink.service.GetInfo")
        do {
            return try await call(method, nil)
        } catch let failure as RemoteFailure {
            throw ToolError("Method call \(method)() failed: \(failure.summary)", status: failure.status)
        }
    }

    /// `org.varlink.service.GetInterfaceDescription`; an error reply is a failure of the command.
    func interfaceDescription(_ interface: String) async throws -> String {
        do {
            return try await interfaceDescriptionReply(interface)
        } catch let failure as RemoteFailure {
            throw ToolError("Cannot describe interface '\(interface)': \(failure.summary)", status: failure.status)
        }
    }

    /// `org.varlink.service.GetInterfaceDescription`, error replies thrown as `RemoteFailure`.
    func interfaceDescriptionReply(_ interface: String) async throws -> String {
        let method = try MethodName(parsing: "org.varlink.service.GetInterfaceDescription")
        let reply = try await call(method, ["interface": .string(interface)])
        guard let description = reply["description"]?.stringValue else {
            throw ToolError(
                "Invalid reply from \(address): GetInterfaceDescription returned no 'description' string",
                status: .connectionLost
            )
        }
        return description
    }

    // MARK: - Calls

    /// A plain call. `parameters: nil` omits the member (for methods without inputs).
    func call(_ method: MethodName, _ parameters: JSONObject?) async throws -> JSONObject {
        do {
            return try await client.call(method.description, parameters: parameters)
        } catch {
            throw map(error, during: method)
        }
    }

    /// A `more` call; `onReply` sees every reply, the final one included, as it arrives.
    func stream(_ method: MethodName, _ parameters: JSONObject?, onReply: (JSONObject) -> Void) async throws {
        do {
            for try await reply in client.stream(method.description, parameters: parameters) { onReply(reply) }
        } catch {
            throw map(error, during: method)
        }
    }

    /// A `oneway` call: returns once the call is sent.
    func oneway(_ method: MethodName, _ parameters: JSONObject?) async throws {
        do {
            try await client.oneway(method.description, parameters: parameters)
        } catch {
            throw map(error, during: method)
        }
    }

    // MARK: - Error mapping

    private func map(_ error: any Error, during method: MethodName) -> any Error {
        Self.map(error, address: address, during: method, timeout: timeout)
    }

    private static func map(
        _ error: any Error,
        address: String,
        during method: MethodName?,
        timeout: ReplyTimeout
    ) -> any Error {
        if let remote = error as? any VarlinkError {
            return RemoteFailure(name: remote.errorName, parameters: remote.errorParameters)
        }
        guard let connection = error as? VarlinkConnectionError else { return error }
        return describe(connection, address: address, during: method, timeout: timeout)
    }

    private static func describe(
        _ connection: VarlinkConnectionError,
        address: String,
        during method: MethodName?,
        timeout: ReplyTimeout
    ) -> ToolError {
        let call = method.map { " during \($0)()" } ?? ""
        switch connection {
        case .invalidAddress(let problem):
            return ToolError(problem.description, status: .usage)
        case .connectFailed(_, let cause):
            return ToolError("Failed to connect to \(address): \(cause)", status: .unreachable)
        case .closed, .notConnected:
            // A started program that exits (or never serves fd 3) looks like a closed connection.
            let hint = address.hasPrefix("exec:") ? " (did the program exit instead of serving fd 3?)" : ""
            return ToolError("Connection to \(address) closed by the service\(call)\(hint)", status: .connectionLost)
        case .timedOut:
            let limit = timeout.seconds.map { "\($0.formatted)s" } ?? "the limit"
            let what = method.map { "the reply to \($0)()" } ?? "a reply"
            return ToolError("Timed out after \(limit) waiting for \(what) from \(address)", status: .timedOut)
        case .protocolViolation(let reason):
            return ToolError("Protocol violation by \(address)\(call): \(reason)", status: .connectionLost)
        case .messageTooLarge(let limit):
            return ToolError("Reply from \(address)\(call) exceeds \(limit) bytes", status: .connectionLost)
        case .io(let cause):
            return ToolError("Connection to \(address) failed\(call): \(cause)", status: .connectionLost)
        case .invalidUse(let reason):
            return ToolError("Connection to \(address) unusable\(call): \(reason)", status: .connectionLost)
        }
    }
}

extension ReplyTimeout {
    /// The library's form: `nil` waits forever.
    var duration: Duration? { seconds.map { .milliseconds(Int64(($0 * 1000).rounded())) } }
}
