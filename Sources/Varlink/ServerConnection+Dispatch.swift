import SystemCalls
import VarlinkJSON

#if canImport(Glibc)
import Glibc
#endif

extension ServerConnection {
    /// Starts one call on the I/O loop: right here when the interface handles it immediately, else as
    /// a task whose jobs the loop runs too (`ServerCore` is its executor).
    func dispatch(_ decoded: DecodedCall, descriptors: [Int32]) {
        let callID = nextCall
        nextCall += 1
        currentCall = callID
        state = .inCall
        let call = VarlinkCall(
            method: decoded.method,
            parameters: decoded.parameters,
            more: decoded.more,
            oneway: decoded.oneway,
            upgrade: decoded.upgrade,
            peer: peer,
            fileDescriptors: descriptors.map(FileDescriptor.init(rawValue:))
        )
        let reply = VarlinkReply(core: core, connection: id, call: callID, gauge: gauge, call: call)
        guard let dot = decoded.method.lastDotIndex, dot != decoded.method.startIndex else {
            reply.fail(VarlinkServiceError.methodNotFound(method: decoded.method))
            reply.handlerReturned(notifyCore: false)
            return
        }
        guard let interface = core.interface(named: decoded.method[..<dot]) else {
            reply.fail(VarlinkServiceError.interfaceNotFound(interface: String(decoded.method[..<dot])))
            reply.handlerReturned(notifyCore: false)
            return
        }
        do {
            if try interface.handleImmediately(call, reply: reply) {
                reply.handlerReturned(notifyCore: false)
                if producer != nil {
                    runProducer()
                    core.markDirty(self)
                }
                return
            }
        } catch {
            reply.fail(anyError: error)
            reply.handlerReturned(notifyCore: false)
            return
        }
        if reply.isFinished {
            // Replied inline but asked for the async path too: treat as handled.
            reply.handlerReturned(notifyCore: false)
            return
        }
        core.handlerStarted()
        Task(executorPreference: core) { [core, id] in
            do {
                try await interface.handle(call, reply: reply)
            } catch {
                reply.fail(anyError: error)
            }
            reply.handlerReturned(notifyCore: true)
            // A producer the handler installed (`reply.produce`) starts here, as after `handleImmediately`.
            if core.isOnLoopThread, let connection = core.connections[id], connection.producer != nil {
                connection.runProducer()
                core.markDirty(connection)
            }
        }
    }
}

extension VarlinkReply {
    /// The wire error for anything a handler throws.
    static func wireError(for error: any Error) -> (name: String, parameters: JSONObject) {
        if let error = error as? any VarlinkError { return (error.errorName, error.errorParameters) }
        // sd-varlink's convention for a handler that failed without a Varlink error.
        let code: Int32 = (error as? SystemCallError)?.errno ?? EIO
        return ("io.systemd.System", ["origin": "linux", "errno": .int(Int64(code))])
    }

    /// `fail` for any error a handler throws.
    func fail(anyError error: any Error) {
        let (name, parameters) = Self.wireError(for: error)
        fail(VarlinkRemoteError(name: name, parameters: parameters))
    }
}
