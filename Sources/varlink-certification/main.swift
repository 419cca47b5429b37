// varlink-certification: serve org.varlink.certification, or certify another server.
import ArgumentParser
import Glibc
import Varlink
import VarlinkCertification

@main
struct VarlinkCertificationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "varlink-certification",
        abstract: "Serve org.varlink.certification, or certify a Varlink server.",
        discussion: """
            Server: --listen=ADDRESS, or socket activation (LISTEN_FDS; --listen is then optional).
            Client: --client ADDRESS runs every certification step and exits 0 only if all passed.
            ADDRESS is unix:/path, /path, @abstract, unix:@abstract or (client only) exec:/path/to/server.
            """
    )

    @Option(name: [.customLong("listen"), .customLong("varlink")], help: "Serve on this address.")
    var listen: String?

    @Option(help: "Certify the server at this address.")
    var client: String?

    func validate() throws {
        if listen != nil && client != nil { throw ValidationError("use either --listen or --client") }
    }

    func run() async throws {
        if let client {
            try await runClient(client)
        } else {
            try await runServer()
        }
    }

    private func runClient(_ address: String) async throws {
        let connection: VarlinkClient
        do {
            connection = try await VarlinkClient.connect(to: address)
        } catch {
            print("varlink-certification: cannot connect to \(address): \(error)")
            throw ExitCode(2)
        }
        defer { connection.close() }
        let report = await CertificationClient(client: connection).run { step in print(step) }
        guard report.passed else {
            print("Certification FAILED")
            throw ExitCode(1)
        }
        print("Certification passed")
    }

    private func runServer() async throws {
        let activated: ActivatedSockets
        do {
            activated = try ActivatedSockets.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        guard listen != nil || !activated.isEmpty else {
            throw ValidationError("nothing to serve: pass --listen=ADDRESS or start under socket activation")
        }
        let server = VarlinkServer(
            configuration: VarlinkServer.Configuration(
                vendor: "Berth",
                product: "varlink-certification",
                version: "1",
                url: "https://varlink.org"
            )
        )
        server.register(CertificationService())
        do {
            try server.stopOnSignals([SIGTERM, SIGINT])
            for fd in activated.listening { try server.adopt(listeningDescriptor: fd) }
            for fd in activated.connected { try server.adopt(connectedDescriptor: fd) }
            if let listen { try server.listen(on: try VarlinkAddress(parsing: listen)) }
            _ = try await server.run()
        } catch {
            print("varlink-certification: \(error)")
            throw ExitCode(1)
        }
    }
}
