import BerthClient
import BerthService
import Logging
import PortableEngine
import SystemCalls
import Varlink

#if canImport(Glibc)
import Glibc
#endif

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
                let service = try Self.inProcessService(root: root, scope: scope)
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
            let shown = (try? endpointAddress()) ?? address ?? Berthctl.defaultAddress
            throw ErrorText.cliError(for: error, address: shown)
        }
    }

    /// The scope as the wire names it; every call carries it, so the wrong berthd refuses instead of
    /// working on the other scope's tree.
    var wireScope: Portable.Scope { scope == .user ? .user : .system }

    /// portablectl 262's error for `--user` outside a user session.
    static let noUserSession =
        "Failed to connect to user scope bus via local transport: $DBUS_SESSION_BUS_ADDRESS and $XDG_RUNTIME_DIR "
        + "not defined (consider using --machine=<user>@.host --user to connect to bus of other user)"

    /// Where berthd listens: `--address=`, else the scope's socket (the user's berthd.socket listens in
    /// `$XDG_RUNTIME_DIR`, as portablectl 262 `--user` finds the user's bus there).
    func endpointAddress() throws(CLIError) -> String {
        if let address { return address }
        guard scope == .user else { return Berthctl.defaultAddress }
        guard let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), runtime.hasPrefix("/") else {
            // Neither variable set: portablectl 262's line, word for word (it looks for the bus in both).
            if getenv("DBUS_SESSION_BUS_ADDRESS") == nil {
                throw CLIError(
                    Self.noUserSession,
                    hint: "Run berthctl --user in the user's session (or with lingering on), or give --address=.",
                    isWholeLine: true
                )
            }
            throw CLIError(
                "Failed to connect to user scope berthd: $XDG_RUNTIME_DIR not defined.",
                hint: "Run berthctl --user in the user's session (or with lingering on), or give --address=."
            )
        }
        return runtime + "/berth/io.berth.Portable"
    }

    /// The service on the offline tree `root`, with no PID 1 (file work only) and no logging: what
    /// it would log, berthctl prints from the replies.
    /// In user scope the user's paths are read from the environment (`HOME`, `XDG_*`) and taken as
    /// paths inside the tree (portablectl has no `--root`; this is systemctl `--user --root`'s reading).
    private static func inProcessService(root: String, scope: PortableScope) throws(CLIError) -> PortableService {
        let absolute = ImageArgument.normalize(
            root.hasPrefix("/") ? root : ImageArgument.currentDirectory() + "/" + root
        )
        var configuration = PortableServiceConfiguration()
        configuration.root = absolute
        configuration.recoversAtStart = false
        configuration.scope = scope
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
        let address = self.address ?? Berthctl.defaultAddress
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
        let address = try endpointAddress()
        do {
            return try await VarlinkClient.connect(to: address)
        } catch {
            throw CLIError(
                "Cannot talk to berthd at \(address): \(error)",
                hint: "Is berthd.socket active (systemctl\(scope == .user ? " --user" : "") start berthd.socket)? "
                    + "Use --root=DIR to work on a tree "
                    + "without berthd, or --address= for another socket."
            )
        }
    }
}
