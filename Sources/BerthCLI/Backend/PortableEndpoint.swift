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
