internal import CSystemd
package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// One method call a `BusObjectServer` received: its header, its arguments read into `BusValue`s,
/// the sender's credentials, and a way to answer it exactly once, from any thread.
///
/// The message stays referenced until the call is answered (or dropped), and every touch of it
/// happens under the server's lock, because sd-bus objects are not thread-safe.
package final class BusCall: @unchecked Sendable {
    package let path: String
    package let interface: String
    package let member: String
    /// The body's signature as sent (`""` for no arguments).
    package let signature: String
    package let arguments: [BusValue]
    /// The sender's effective uid/gid and pid as the bus reported them; nil if it could not say, or
    /// if the route said the call needs none (asking the bus driver is a round trip per call).
    package let sender: PeerCredentials?
    /// The sender's unique bus name (`:1.42`), polkit's `system-bus-name` subject; nil on a direct connection.
    package let senderName: String?
    /// The header flag ALLOW_INTERACTIVE_AUTHORIZATION: the caller can wait for a polkit agent's prompt.
    package let allowsInteractiveAuthorization: Bool
    private let server: BusObjectServer
    private let handler: @Sendable (BusCall) -> Void
    // Guarded by `server`'s lock; nil once answered.
    private var message: OpaquePointer?

    /// Called on the bus thread, under the server's lock, inside `sd_bus_process`.
    init(
        message: OpaquePointer,
        server: BusObjectServer,
        handler: @escaping @Sendable (BusCall) -> Void,
        needsSender: (_ interface: String, _ member: String) -> Bool
    ) throws(SystemdError) {
        func text(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        path = text(sd_bus_message_get_path(message))
        interface = text(sd_bus_message_get_interface(message))
        member = text(sd_bus_message_get_member(message))
        signature = text(sd_bus_message_get_signature(message, 1))
        var budget = BusValueCoding.maximumElements
        arguments = try BusValueCoding.readAll(message, budget: &budget)
        sender = needsSender(interface, member) ? Self.credentials(of: message) : nil
        senderName = sd_bus_message_get_sender(message).map { String(cString: $0) }
        allowsInteractiveAuthorization = sd_bus_message_get_allow_interactive_authorization(message) > 0
        self.server = server
        self.handler = handler
        self.message = sd_bus_message_ref(message)
    }

    deinit {
        if let message {
            server.withBus { _ in
                server.callAnswered()
                _ = sd_bus_message_unref(message)
            }
        }
    }

    /// Hands the call to its handler (on the bus thread, outside the lock).
    func dispatch() {
        handler(self)
    }

    /// Sends the method return with `values` as its body.
    package func reply(_ values: [BusValue]) {
        reply(writing: { (writer: BusMessageWriter) throws(SystemdError) in
            for value in values { try BusValueCoding.append(value, to: writer.message) }
        })
    }

    /// Sends the method return whose body `write` appends, field by field (under the server's lock).
    package func reply(writing write: (BusMessageWriter) throws(SystemdError) -> Void) {
        answer { (call: OpaquePointer, reply: inout OpaquePointer?) throws(SystemdError) in
            try SDBus.check("sd_bus_message_new_method_return", sd_bus_message_new_method_return(call, &reply))
            guard let reply else { return }
            try write(BusMessageWriter(reply))
        }
    }

    /// Sends a D-Bus error reply with this name and message.
    package func fail(name: String, message text: String) {
        answer { (call: OpaquePointer, reply: inout OpaquePointer?) throws(SystemdError) in
            var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
            defer { sd_bus_error_free(&error) }
            _ = sd_bus_error_set(&error, name, text)
            try SDBus.check("sd_bus_message_new_method_error", sd_bus_message_new_method_error(call, &reply, &error))
        }
    }

    /// Sends the reply sd-bus derives from an errno (a standard name such as AccessDenied where it has
    /// one, else `System.Error.E…`), with this message; an empty one keeps sd-bus's (the errno's text),
    /// as a handler returning the bare errno gets.
    package func fail(errno code: Int32, message text: String) {
        answer { (call: OpaquePointer, reply: inout OpaquePointer?) throws(SystemdError) in
            var error = sd_bus_error(name: nil, message: nil, _need_free: 0)
            defer { sd_bus_error_free(&error) }
            _ = sd_bus_error_set_errno(&error, code)
            var named = sd_bus_error(name: nil, message: nil, _need_free: 0)
            defer { sd_bus_error_free(&named) }
            if text.isEmpty {
                _ = sd_bus_error_copy(&named, &error)
            } else {
                _ = sd_bus_error_set(&named, error.name, text)
            }
            try SDBus.check("sd_bus_message_new_method_error", sd_bus_message_new_method_error(call, &reply, &named))
        }
    }

    /// Builds the reply with `build` and queues it, under the lock; a call whose sender asked for
    /// no reply is only released. A reply that cannot be built becomes an error reply, so the
    /// client never waits for nothing.
    private func answer(_ build: (OpaquePointer, inout OpaquePointer?) throws(SystemdError) -> Void) {
        server.withBus(onlyForOutput: true) { bus in
            guard let call = message else { return }
            message = nil
            defer { sd_bus_message_unref(call) }
            server.callAnswered()
            guard sd_bus_message_get_expect_reply(call) > 0 else { return }
            var reply: OpaquePointer? = nil
            do throws(SystemdError) {
                try build(call, &reply)
            } catch {
                if let built = reply { sd_bus_message_unref(built) }
                reply = nil
                var failure = sd_bus_error(name: nil, message: nil, _need_free: 0)
                defer { sd_bus_error_free(&failure) }
                _ = sd_bus_error_set(&failure, "org.freedesktop.DBus.Error.Failed", "\(error)")
                _ = sd_bus_message_new_method_error(call, &reply, &failure)
            }
            if let reply {
                _ = sd_bus_send(bus, reply, nil)
                sd_bus_message_unref(reply)
            }
        }
    }

    /// The bus driver reports the uid/gid it saw at connect time; the effective ids where it has them.
    private static func credentials(of message: OpaquePointer) -> PeerCredentials? {
        var creds: OpaquePointer? = nil
        let mask = UInt64(
            SD_BUS_CREDS_UID | SD_BUS_CREDS_EUID | SD_BUS_CREDS_GID | SD_BUS_CREDS_EGID | SD_BUS_CREDS_PID
        )
        guard sd_bus_query_sender_creds(message, mask, &creds) >= 0, let creds else { return nil }
        defer { sd_bus_creds_unref(creds) }
        var uid: uid_t = 0
        var gid: gid_t = 0
        var pid: pid_t = 0
        guard sd_bus_creds_get_euid(creds, &uid) >= 0 || sd_bus_creds_get_uid(creds, &uid) >= 0 else { return nil }
        // dbus-daemon reports no primary gid: an invalid one then, which no group rule matches (the
        // rule still finds the user's groups in the user database).
        if sd_bus_creds_get_egid(creds, &gid) < 0 && sd_bus_creds_get_gid(creds, &gid) < 0 { gid = .max }
        _ = sd_bus_creds_get_pid(creds, &pid)
        return PeerCredentials(uid: uid, gid: gid, pid: pid)
    }
}
