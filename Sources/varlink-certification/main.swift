// varlink-certification: serve org.varlink.certification, or certify another server.
import ArgumentParser
import Glibc
import SystemCalls
import Varlink
import VarlinkCertification

/// Synchronous entry point on purpose: the server blocks SIGTERM/SIGINT on the main thread
/// before any other thread exists (every later thread inherits the mask), so they reach the
/// server's signalfd and stop it gracefully. An async `main` cannot guarantee that: the runtime
/// resets the main thread's mask once it hands the thread to the main queue.
@main
enum VarlinkCertificationMain {
    static func main() {
        let command = VarlinkCertificationCommand.parseOrExit()
        if let client = command.client {
            // The client needs async calls: run them on the pool (detached: main() is on the
            // main actor, whose thread just waits here) and exit from there.
            Task.detached {
                let status = await VarlinkCertificationCommand.certify(client)
                exit(status)
            }
            while true { pause() }
        }
        do {
            try command.serve()
        } catch {
            VarlinkCertificationCommand.exit(withError: error)
        }
    }
}

struct VarlinkCertificationCommand: ParsableCommand {
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

    /// Runs every step against `address`: 0 if all passed, 1 if one failed, 2 if unreachable.
    static func certify(_ address: String) async -> Int32 {
        let connection: VarlinkClient
        do {
            connection = try await VarlinkClient.connect(to: address)
        } catch {
            print("varlink-certification: cannot connect to \(address): \(error)")
            return 2
        }
        defer { connection.close() }
        let report = await CertificationClient(client: connection).run { step in print(step) }
        print(report.passed ? "Certification passed" : "Certification FAILED")
        return report.passed ? 0 : 1
    }

    func serve() throws {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let activated: ActivatedSockets
        do {
            activated = try ActivatedSockets.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        guard listen != nil || !activated.isEmpty else {
            throw ValidationError("nothing to serve: pass --listen=ADDRESS or start under socket activation")
        }
        var configuration = VarlinkServer.Configuration(
            vendor: "Berth",
            product: "varlink-certification",
            version: BerthVersion.current,
            url: "https://varlink.org"
        )
        // Handed only connected sockets (exec:, Accept=yes): nothing can connect later, so
        // stop once those connections are gone instead of lingering as an orphan.
        if listen == nil && activated.listening.isEmpty { configuration.exitWhenIdle = .milliseconds(100) }
        let server = VarlinkServer(configuration: configuration)
        server.register(CertificationService())
        do {
            try server.stopOnSignals([SIGTERM, SIGINT])
            for fd in activated.listening { try server.adopt(listeningDescriptor: FileDescriptor(rawValue: fd)) }
            for fd in activated.connected { try server.adopt(connectedDescriptor: FileDescriptor(rawValue: fd)) }
            if let listen { try server.listen(on: try VarlinkAddress(parsing: listen)) }
            _ = try server.runOnCurrentThread()
        } catch {
            print("varlink-certification: \(error)")
            throw ExitCode(1)
        }
    }
}
