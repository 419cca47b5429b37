import BerthClient
import BerthService
import Logging
import SystemCalls
import Varlink

/// Where a verb's calls go: with `--root=DIR` the service itself, in process on that tree; otherwise
/// berthd over Varlink. Both are `Portable.API`, so every line after argument parsing is shared and
/// both paths print the same output, warnings and errors.
extension GlobalSettings {
    /// Runs `body` against the API and turns every failure into portablectl's words (`ErrorText`).
    ///
    /// - Parameter recovering: for verbs that change the tree: in process, first finish what an
    ///   interrupted run left behind and say so (berthd does this when it starts).
    func withAPI<T>(
        recovering: Bool = false,
        _ body: (any Portable.API) async throws -> T
    ) async throws(CLIError) -> T {
        do {
            if let root {
                let service = try Self.inProcessService(root: root)
                if recovering {
                    for line in service.recoverInterruptedOperations() { Terminal.err(line + "\n") }
                }
                return try await body(service)
            }
            if let remote { return try await withRemoteAPI(remote, body) }
            let connection = try await connect()
            defer { connection.close() }
            return try await body(Portable.Client(connection))
        } catch {
            throw ErrorText.cliError(for: error, address: address)
        }
    }

    /// The service on the offline tree `root`, with no PID 1 (file work only) and no logging: what
    /// it would log, berthctl prints from the replies.
    private static func inProcessService(root: String) throws(CLIError) -> PortableService {
        let absolute = ImageArgument.normalize(
            root.hasPrefix("/") ? root : ImageArgument.currentDirectory() + "/" + root
        )
        var configuration = PortableServiceConfiguration()
        configuration.root = absolute
        configuration.recoversAtStart = false
        do {
            return try PortableService(
                configuration: configuration,
                logger: Logger(label: "berthctl") { _ in SwiftLogNoOpLogHandler() }
            )
        } catch {
            throw CLIError(
                "Cannot use --root=\(root): \(ErrorText.cliError(for: error, address: "").message)",
                hint: "--root= needs an existing directory holding the tree to operate on."
            )
        }
    }

    /// `body` against berthd on `remote` (`-H`, `-M`), at the socket path `--address=` names there.
    private func withRemoteAPI<T>(
        _ remote: RemoteTarget,
        _ body: (any Portable.API) async throws -> T
    ) async throws -> T {
        let socketPath = address.hasPrefix("unix:") ? String(address.dropFirst(5)) : address
        guard socketPath.hasPrefix("/"), !socketPath.contains(";") else {
            throw CLIError(
                "Cannot use --address=\(address) with \(remote.displayName).",
                hint: "With -H/-M, --address= is the socket's absolute path on the host or in the container."
            )
        }
        let connection: VarlinkClient
        do {
            connection = try await VarlinkClient.connect(to: try remote.address(socketPath: socketPath))
        } catch let error as CLIError {
            throw error
        } catch {
            throw remote.connectionFailed(socketPath: socketPath, error)
        }
        defer { connection.close() }
        do {
            return try await body(Portable.Client(connection))
        } catch let error as VarlinkConnectionError {
            throw remote.connectionFailed(socketPath: socketPath, error)
        }
    }

    /// A connection to berthd; a failure says which socket and how to get berthd running.
    private func connect() async throws(CLIError) -> VarlinkClient {
        do {
            return try await VarlinkClient.connect(to: address)
        } catch {
            throw CLIError(
                "Cannot talk to berthd at \(address): \(error)",
                hint: "Is berthd.socket active (systemctl start berthd.socket)? Use --root=DIR to work on a tree "
                    + "without berthd, or --address= for another socket."
            )
        }
    }
}
