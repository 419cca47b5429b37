import Glibc
package import Logging
import SystemCalls
import Systemd
package import Varlink

/// Gives the server its sockets: `--listen=` addresses, or the ones systemd passed (listening sockets,
/// or a single connected one as `varlinkctl call exec:` passes it).
package enum DaemonSockets {
    /// Why berthd has nothing to listen on.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Binds or adopts, and returns a description of each socket for the log and STATUS=.
    package static func attach(
        to server: VarlinkServer,
        configuration: DaemonConfiguration,
        logger: Logger
    ) throws -> [String] {
        if !configuration.listenAddresses.isEmpty {
            var described: [String] = []
            for text in configuration.listenAddresses {
                let address: VarlinkAddress
                do {
                    address = try VarlinkAddress(parsing: text)
                } catch {
                    throw DaemonConfigurationError(option: "--listen", value: text, reason: error.reason)
                }
                do {
                    try server.listen(on: address)
                } catch {
                    throw Failure(description: "cannot listen on \(text): \(error)")
                }
                described.append(text)
            }
            // Passed fds that we do not use must not leak into children.
            _ = try? ListenFDs.adopt()
            return described
        }
        let passed: ListenFDs
        do {
            passed = try ListenFDs.adopt()
        } catch {
            throw Failure(description: "cannot take the sockets systemd passed: \(error)")
        }
        guard !passed.sockets.isEmpty else {
            throw Failure(
                description: "no sockets: not socket-activated (LISTEN_FDS is unset) and no --listen=ADDRESS given; "
                    + "start berthd.socket, or run berthd --listen=unix:/run/berth/io.berth.Portable"
            )
        }
        var described: [String] = []
        for socket in passed.sockets {
            if socket.isConnectedUnixStream {
                // One client's connection (varlinkctl exec:, a socketpair), served as sd-varlink serves it.
                do {
                    try server.adopt(connectedDescriptor: FileDescriptor(rawValue: socket.fd))
                } catch {
                    throw Failure(description: "cannot serve passed connection fd \(socket.fd): \(error)")
                }
                described.append("fd \(socket.fd) (\(socket.name), one connection)")
                continue
            }
            guard socket.isListeningUnixStream else {
                logger.warning(
                    "ignoring passed fd \(socket.fd) '\(socket.name)': not an AF_UNIX stream socket",
                    metadata: ["systemd.fd": "\(socket.fd)"]
                )
                close(socket.fd)
                continue
            }
            do {
                try server.adopt(listeningDescriptor: FileDescriptor(rawValue: socket.fd))
            } catch {
                throw Failure(description: "cannot serve passed fd \(socket.fd) '\(socket.name)': \(error)")
            }
            described.append("fd \(socket.fd) (\(socket.name))")
        }
        guard !described.isEmpty else {
            throw Failure(
                description: "none of the \(passed.sockets.count) passed fds is an AF_UNIX stream socket"
            )
        }
        return described
    }
}
