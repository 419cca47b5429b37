import Foundation

/// One raw Varlink call made by a separate process running as another user (setpriv, no
/// supplementary groups), so the server sees that user's SO_PEERCRED and pid.
package enum VarlinkCallAsUser {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Blocks until the reply: returns the reply message as JSON text. `wrapper` (a command that ends by
    /// exec'ing its arguments) runs first, as the same user and process.
    package static func run(
        socketPath: String,
        uid: UInt32,
        gid: UInt32,
        method: String,
        parameters: String = "{}",
        through wrapper: [String] = [],
        environment: [String: String]? = nil
    ) throws -> String {
        let script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(sys.argv[1])
            s.sendall(('{"method":"' + sys.argv[2] + '","parameters":' + sys.argv[3] + '}').encode() + b'\\0')
            data = b''
            while not data.endswith(b'\\0'):
                chunk = s.recv(65536)
                if not chunk: break
                data += chunk
            sys.stdout.write(data.rstrip(b'\\0').decode())
            """
        let result = try CLIRunner.run(
            "/usr/bin/setpriv",
            [
                "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups",
            ] + wrapper + ["/usr/bin/python3", "-c", script, socketPath, method, parameters],
            environment: environment,
            currentDirectory: "/"
        )
        guard result.status == 0 else { throw Failure(description: "client as \(uid):\(gid) failed: \(result)") }
        return result.stdout
    }
}
