import Foundation
import Glibc

/// Emulates what systemd does for a `.socket` unit with `Accept=no`: holds the listening socket,
/// starts the service with it as fd 3 (`LISTEN_FDS=1`, `LISTEN_PID`, `LISTEN_FDNAMES`), and
/// starts it again whenever the service has exited and a connection is waiting in the backlog.
///
/// The supervisor runs on its own thread (it blocks in `waitpid`/`poll`), never on the Swift
/// concurrency pool, which has only as many threads as cores.
package final class ActivationHarness: @unchecked Sendable {
    /// What happened while the harness ran.
    package struct Report: Sendable {
        /// How many times the service was started.
        package var starts: Int
        /// Exit statuses other than a clean `exit(0)`, as text ("exit 1", "signal 6").
        package var abnormalExits: [String]
    }

    package let socketPath: String
    private let listenFD: Int32
    private let executable: String
    private let arguments: [String]
    private let environment: [String]
    // NSLock guards every var below; the supervisor thread and the test thread share them.
    private let lock = NSLock()
    private var stopping = false
    private var currentPID: pid_t = 0
    private var starts = 0
    private var abnormalExits: [String] = []
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameters:
    ///   - executable: the service binary.
    ///   - arguments: its arguments (without argv[0]).
    ///   - socketPath: where to bind the listening socket (unique per test).
    ///   - environment: extra `KEY=VALUE` entries for the service.
    package init(executable: String, arguments: [String], socketPath: String, environment: [String] = []) throws {
        self.executable = executable
        self.arguments = arguments
        self.socketPath = socketPath
        self.environment = environment
        self.listenFD = try ActivationSocket.listen(path: socketPath)
    }

    deinit {
        close(listenFD)
        unlink(socketPath)
    }

    /// Starts supervising; the service is first started when the first connection arrives.
    package func start() {
        let thread = Thread { [self] in supervise() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Stops the service (SIGTERM) and the supervisor, and returns what happened.
    package func stop() -> Report {
        lock.withLock {
            stopping = true
            if currentPID > 0 { kill(currentPID, SIGTERM) }
        }
        finished.wait()
        return lock.withLock { Report(starts: starts, abnormalExits: abnormalExits) }
    }

    /// How many times the service has been started so far.
    package var startCount: Int { lock.withLock { starts } }

    private func supervise() {
        defer { finished.signal() }
        while true {
            // Like PID 1: wait for a pending connection before (re)starting the service.
            while !ActivationSocket.isReadable(listenFD, milliseconds: 20) {
                if lock.withLock({ stopping }) { return }
            }
            if lock.withLock({ stopping }) { return }
            let pid: pid_t
            do {
                pid = try spawn()
            } catch {
                lock.withLock { abnormalExits.append("spawn failed: \(error)") }
                return
            }
            lock.withLock {
                currentPID = pid
                starts += 1
            }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let abnormal = Self.describeAbnormal(status)
            lock.withLock {
                currentPID = 0
                if let abnormal { abnormalExits.append(abnormal) }
            }
        }
    }

    private func spawn() throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // fd 3 in the child; listenFD is ≥ 100, so dup2 really copies and clears close-on-exec.
        posix_spawn_file_actions_adddup2(&actions, listenFD, ListenFDsLayout.first)
        // LISTEN_PID must be the service's own PID, which only the child knows: a shell exports
        // its $$ and then execs the service in the same process.
        let argv = ["/bin/sh", "-c", "export LISTEN_PID=$$; exec \"$0\" \"$@\"", executable] + arguments
        let env = ["LISTEN_FDS=1", "LISTEN_FDNAMES=varlink", "PATH=/usr/bin:/bin"] + environment
        var pid: pid_t = 0
        let result = withCStrings(argv) { cArgv in
            withCStrings(env) { cEnv in posix_spawn(&pid, "/bin/sh", &actions, nil, cArgv, cEnv) }
        }
        guard result == 0 else { throw SystemCallErrorBox(call: "posix_spawn \(executable)", errno: result) }
        return pid
    }

    static func describeAbnormal(_ status: Int32) -> String? {
        let signal = status & 0x7f
        if signal == 0 {
            let code = (status >> 8) & 0xff
            return code == 0 ? nil : "exit \(code)"
        }
        return "signal \(signal)"
    }
}

/// Where systemd puts passed fds.
enum ListenFDsLayout {
    static let first: Int32 = 3
}

/// Runs `body` with a NULL-terminated C array of the strings.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
