import BerthClient
package import BerthService
import Logging
import PortableEngine
import SystemCalls
package import Systemd
import Varlink

/// The org.freedesktop.portable1 front door: D-Bus calls as systemd-portabled takes them, served by
/// the same `PortableService` as the Varlink side, with the caller taken from the bus's credentials.
///
/// Routing, the standard interfaces (Introspectable, Properties) and error replies live here; the
/// Manager's methods in `+Methods`, value conversions in `+Values`.
package final class PortableBusAdapter: Sendable {
    let service: PortableService
    let logTarget: String

    package init(service: PortableService, logTarget: String) {
        self.service = service
        self.logTarget = logTarget
    }

    /// Whether a call needs its sender's credentials (a round trip to the bus driver before the call
    /// is served): not for what portabled answers everyone without asking (lists, states, properties,
    /// introspection); every other member gets them, unknown ones included.
    package static func needsSender(interface: String, member: String) -> Bool {
        !Self.answeredToEveryone.contains(member)
    }

    private static let answeredToEveryone: Set<String> = [
        "ListImages", "GetImage", "GetImageState", "GetImageStateWithExtensions", "GetState",
        "GetStateWithExtensions", "Introspect", "Get", "GetAll", "Ping", "GetMachineId",
    ]

    /// Serves one call; answers it exactly once, whatever happens.
    ///
    /// What portabled answers everyone (reads of the pool and the images' states) is served right here
    /// on the bus thread, as portabled serves everything: a thread hop costs more than a 400-image
    /// ListImages when the machine is busy. Everything else goes straight to an engine thread, where
    /// the service's work runs in place (one hop, not bus thread → pool → engine thread → pool), so a
    /// slow attach never holds up the bus.
    package func handle(_ call: BusCall) {
        // Unknown senders are treated as nobody, never as root.
        let caller = call.sender ?? PeerCredentials(uid: 65_534, gid: 65_534, pid: 0)
        let onBus = CallerOnBus(
            uniqueName: call.senderName ?? "",
            allowsInteractiveAuthorization: call.allowsInteractiveAuthorization
        )
        if !Self.needsSender(interface: call.interface, member: call.member) {
            CurrentThreadExecutor.run { await self.serve(call, caller: caller, onBus: onBus) }
            return
        }
        Task(executorPreference: EngineExecutor.shared) { await self.serve(call, caller: caller, onBus: onBus) }
    }

    private func serve(_ call: BusCall, caller: PeerCredentials, onBus: CallerOnBus) async {
        do {
            try await Caller.$current.withValue(caller) {
                try await Caller.$bus.withValue(onBus) {
                    if Self.isListImages(call) {
                        try Self.expect(call, "")
                        let images = try await self.service.listImages(.init()).images
                        call.reply(writing: { (reply: BusMessageWriter) throws(SystemdError) in
                            try Self.writeImageList(images, into: reply)
                        })
                    } else {
                        call.reply(try await self.route(call))
                    }
                }
            }
        } catch {
            let failure = PortableBusError.from(error)
            switch failure.name {
            case .named(let name): call.fail(name: name, message: failure.message)
            case .errno(let code): call.fail(errno: code, message: failure.message)
            }
        }
    }

    /// The Manager's ListImages, the one reply written straight into the message (hundreds of entries):
    /// the call `object` would route to the Manager's method of that name.
    private static func isListImages(_ call: BusCall) -> Bool {
        call.path == PortableBusSchema.managerPath && call.member == "ListImages"
            && (call.interface == PortableBusSchema.manager.name || call.interface.isEmpty)
    }

    private func route(_ call: BusCall) async throws -> [BusValue] {
        let path = call.path
        if path == PortableBusSchema.managerPath {
            return try await object(call, interfaces: [PortableBusSchema.manager], children: ["image"]) {
                try await self.perform(call.member, call.arguments)
            }
        }
        if path == PortableBusSchema.imagePrefix {
            return try await object(call, interfaces: [], children: try await imageLabels()) { [] }
        }
        if path == PortableBusSchema.logControlPath {
            return try await object(call, interfaces: [PortableBusSchema.logControl], children: []) { [] }
        }
        if path.hasPrefix(PortableBusSchema.imagePrefix + "/") {
            let label = String(path.dropFirst(PortableBusSchema.imagePrefix.count + 1))
            guard !label.contains("/"), let name = BusLabel.unescape(label) else { throw Self.unknownObject(path) }
            _ = try await service.getImage(.init(image: name))
            return try await object(call, interfaces: [PortableBusSchema.image], children: []) {
                let member = PortableBusSchema.hiddenImageAliases[call.member] ?? call.member
                guard let managerMember = Self.managerMethod[member] else { return [] }
                return try await self.perform(managerMember, [.string(name)] + call.arguments)
            }
        }
        throw Self.unknownObject(path)
    }

    /// One object: Introspect, Properties, and its own interfaces' methods (signature checked first).
    private func object(
        _ call: BusCall,
        interfaces: [PortableBusSchema.Interface],
        children: [String],
        perform: () async throws -> [BusValue]
    ) async throws -> [BusValue] {
        switch call.interface {
        case "org.freedesktop.DBus.Introspectable" where call.member == "Introspect":
            try Self.expect(call, "")
            return [.string(BusIntrospection.document(interfaces: interfaces, children: children))]
        case "org.freedesktop.DBus.Properties":
            return try await properties(call, interfaces: interfaces)
        default:
            let member = PortableBusSchema.hiddenImageAliases[call.member] ?? call.member
            guard let interface = interfaces.first(where: { $0.name == call.interface || call.interface.isEmpty }),
                let method = interface.method(member)
            else {
                throw PortableBusError(
                    "org.freedesktop.DBus.Error.UnknownMethod",
                    "Unknown method \(call.member) or interface \(call.interface)."
                )
            }
            try Self.expect(call, method.inputSignature)
            return try await perform()
        }
    }

    private func properties(_ call: BusCall, interfaces: [PortableBusSchema.Interface]) async throws -> [BusValue] {
        let reader = ArgumentReader(call.arguments)
        switch call.member {
        case "Get":
            try Self.expect(call, "ss")
            let (interfaceName, name) = (reader.string(0), reader.string(1))
            guard let interface = interfaces.first(where: { $0.name == interfaceName }), interface.property(name) != nil
            else {
                throw PortableBusError(
                    "org.freedesktop.DBus.Error.UnknownProperty",
                    "Unknown interface \(interfaceName) or property \(name)."
                )
            }
            return [.variant(try await propertyValue(interface.name, name, path: call.path))]
        case "GetAll":
            try Self.expect(call, "s")
            let interfaceName = reader.string(0)
            var pairs: [(String, BusValue)] = []
            for interface in interfaces where interfaceName.isEmpty || interface.name == interfaceName {
                for property in interface.properties {
                    pairs.append(
                        (
                            property.name,
                            .variant(try await propertyValue(interface.name, property.name, path: call.path))
                        )
                    )
                }
            }
            return [.dictionary(valueSignature: "v", pairs)]
        case "Set":
            try Self.expect(call, "ssv")
            return try setProperty(interface: reader.string(0), name: reader.string(1), value: call.arguments[2])
        default:
            throw PortableBusError(
                "org.freedesktop.DBus.Error.UnknownMethod",
                "Unknown method \(call.member) or interface \(call.interface)."
            )
        }
    }

    /// The names of the image objects below `/org/freedesktop/portable1/image` (node enumeration).
    private func imageLabels() async throws -> [String] {
        try await service.listImages(.init()).images.map { BusLabel.escape($0.name) }
    }

    static func expect(_ call: BusCall, _ signature: String) throws {
        guard call.signature == signature else {
            throw PortableBusError.invalidArgs(
                "Invalid arguments '\(call.signature)' to call \(call.interface).\(call.member)(), expecting '\(signature)'."
            )
        }
    }

    static func unknownObject(_ path: String) -> PortableBusError {
        PortableBusError("org.freedesktop.DBus.Error.UnknownObject", "Unknown object '\(path)'.")
    }
}
