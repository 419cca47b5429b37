import BerthClient
package import Varlink

/// The Varlink front door: `Portable.API` served on a `VarlinkServer`, with each call's caller taken
/// from the connection's credentials (SO_PEERCRED, recorded when the client connected).
package struct PortableVarlinkInterface: VarlinkInterface {
    let adapter: Portable.ServiceAdapter<PortableService>

    package init(_ service: PortableService) {
        adapter = Portable.ServiceAdapter(service)
    }

    package var name: String { adapter.name }

    package var interfaceDescription: String { adapter.interfaceDescription }

    package func handle(_ call: VarlinkCall, reply: VarlinkReply) async throws {
        try await Caller.$current.withValue(call.peer) { try await adapter.handle(call, reply: reply) }
    }
}
