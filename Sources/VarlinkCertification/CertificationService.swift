import Synchronization
import SystemCalls
package import Varlink
import VarlinkJSON

/// Serves `org.varlink.certification` as strictly as the python reference: calls must come in
/// order per client id, each call must equal the expected call exactly (method, parameters and
/// flags: `more` only on Test10, `oneway` only on Test11), and any mismatch retires the client
/// id so that `End` cannot succeed afterwards.
package struct CertificationService: VarlinkInterface {
    package let name = CertificationInterface.name
    package let interfaceDescription = CertificationInterface.description
    private let sessions = CertificationSessions()

    package init() {}

    package func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        let method = String(call.methodName)
        guard let step = CertificationInterface.methodSequence.firstIndex(of: method) else {
            throw VarlinkServiceError.methodNotFound(method: call.method)
        }
        if step == 0 {
            let wants: JSONObject = ["method": .string(call.method)]
            let got = Self.callObject(call)
            guard CertificationMatch.matches(.object(wants), .object(got)) else {
                throw CertificationError.certificationError(wants: .object(wants), got: .object(got))
            }
            reply.reply(["client_id": .string(sessions.start())])
            return
        }
        guard case .string(let clientID) = call.parameters["client_id"] else {
            throw VarlinkServiceError.invalidParameter(parameter: "client_id")
        }
        try sessions.advance(clientID, to: step)
        let wants = Self.expectedCall(method, clientID: clientID)
        let got = Self.callObject(call, normalizingMyType: method == "Test10")
        guard CertificationMatch.matches(.object(wants), .object(got)) else {
            sessions.retire(clientID)
            throw CertificationError.certificationError(wants: .object(wants), got: .object(got))
        }
        switch method {
        case "Test10":
            for number in 1..<CertificationInterface.streamReplyCount {
                reply.notify(["string": .string(CertificationInterface.streamReply(number))])
                await reply.drain()
                guard reply.isConnected else { return }
            }
            reply.reply(["string": .string(CertificationInterface.streamReply(CertificationInterface.streamReplyCount))]
            )
        case "Test11":
            // Oneway: nothing is sent back.
            return
        case "End":
            sessions.retire(clientID)
            reply.reply(["all_ok": true])
        default:
            reply.reply(Self.reply(for: method))
        }
    }

    /// The call as the client sent it, with only the flags that were set (false flags and
    /// absent parameters are indistinguishable from omitted ones on the server side).
    static func callObject(_ call: VarlinkCall, normalizingMyType: Bool = false) -> JSONObject {
        var object: JSONObject = ["method": .string(call.method)]
        if call.more { object["more"] = true }
        if call.oneway { object["oneway"] = true }
        if call.upgrade { object["upgrade"] = true }
        var parameters = call.parameters
        if normalizingMyType, case .object(var myType) = parameters["mytype"] {
            // The two nullable members may be sent as null or left out.
            for key in ["nullable", "nullable_array_struct"] where myType[key] == .null { myType[key] = nil }
            parameters["mytype"] = .object(myType)
        }
        if !parameters.isEmpty { object["parameters"] = .object(parameters) }
        return object
    }

    static func expectedCall(_ method: String, clientID: String) -> JSONObject {
        var parameters: JSONObject = ["client_id": .string(clientID)]
        var call: JSONObject = ["method": .string("\(CertificationInterface.name).\(method)")]
        switch method {
        case "Test02": parameters["bool"] = true
        case "Test03": parameters["int"] = 1
        case "Test04": parameters["float"] = 1.0
        case "Test05": parameters["string"] = "ping"
        case "Test06": for (key, value) in CertificationInterface.test05Reply { parameters[key] = value }
        case "Test07": parameters["struct"] = .object(CertificationInterface.test05Reply)
        case "Test08": parameters["map"] = CertificationInterface.test07Reply["map"]
        case "Test09": parameters["set"] = CertificationInterface.test08Reply["set"]
        case "Test10":
            var myType = CertificationInterface.myType
            myType["nullable"] = nil
            myType["nullable_array_struct"] = nil
            parameters["mytype"] = .object(myType)
            call["more"] = true
        case "Test11":
            let replies = (1...CertificationInterface.streamReplyCount).map {
                JSONValue.string(CertificationInterface.streamReply($0))
            }
            parameters["last_more_replies"] = .array(replies)
            call["oneway"] = true
        default: break
        }
        call["parameters"] = .object(parameters)
        return call
    }

    static func reply(for method: String) -> JSONObject {
        switch method {
        case "Test01": return ["bool": true]
        case "Test02": return ["int": 1]
        case "Test03": return ["float": 1.0]
        case "Test04": return ["string": "ping"]
        case "Test05": return CertificationInterface.test05Reply
        case "Test06": return ["struct": .object(CertificationInterface.test05Reply)]
        case "Test07": return CertificationInterface.test07Reply
        case "Test08": return CertificationInterface.test08Reply
        case "Test09": return ["mytype": .object(CertificationInterface.myType)]
        default: return [:]
        }
    }
}

/// Which step each client id is at. Bounded: the oldest ids are retired past `capacity`.
final class CertificationSessions: Sendable {
    private struct State {
        var nextStep: [String: Int] = [:]
        var order: [String] = []
    }

    private let state = Lock(State())
    private let capacity = 4096

    func start() -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
        state.withLock { state in
            state.nextStep[id] = 1
            state.order.append(id)
            if state.order.count > capacity {
                state.nextStep[state.order.removeFirst()] = nil
            }
        }
        return id
    }

    /// Checks that `step` is the client's next one and moves on; a call out of order retires the id.
    func advance(_ id: String, to step: Int) throws(CertificationError) {
        let expected: Int? = state.withLock { state in
            guard let next = state.nextStep[id] else { return nil }
            if next == step {
                state.nextStep[id] = step + 1
            } else {
                state.nextStep[id] = nil
            }
            return next
        }
        guard let expected else { throw .clientIdError }
        guard expected == step else {
            let prefix = CertificationInterface.name + "."
            throw .certificationError(
                wants: ["method": .string(prefix + CertificationInterface.methodSequence[expected])],
                got: ["method": .string(prefix + CertificationInterface.methodSequence[step])]
            )
        }
    }

    func retire(_ id: String) {
        state.withLock { state in
            state.nextStep[id] = nil
            state.order.removeAll { $0 == id }
        }
    }
}
