internal import CLinuxShims

#if canImport(Glibc)
import Glibc
#endif

extension Posix {
    /// Starts `path` with `socket` as its fd 3 and the socket-activation environment systemd would pass
    /// (`LISTEN_FDS=1`, `LISTEN_PID=<child>`, `LISTEN_FDNAMES=<name>`), on top of `environment`.
    /// Returns the child's pid. The corresponding C functions are `fork` and `execve`.
    public static func spawnSocketActivated(
        path: String,
        arguments: [String],
        environment: [String],
        socket: Int32,
        descriptorName: String
    ) throws(SystemCallError) -> Int32 {
        let inherited = environment.filter {
            !$0.hasPrefix("LISTEN_PID=") && !$0.hasPrefix("LISTEN_FDS=") && !$0.hasPrefix("LISTEN_FDNAMES=")
                && !$0.hasPrefix("LISTEN_PIDFDID=")
        }
        let entries = inherited + ["LISTEN_FDS=1", "LISTEN_FDNAMES=\(descriptorName)", "LISTEN_PID=0"]
        let argv = ([path] + arguments).map { strdup($0) }
        var envp = entries.map { strdup($0) }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var argvTerminated: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        envp.append(nil)
        let slot = entries.count - 1
        let pid = argvTerminated.withUnsafeMutableBufferPointer { argvBuffer in
            envp.withUnsafeMutableBufferPointer { envBuffer in
                berth_spawn_with_listen_fd(path, argvBuffer.baseAddress, envBuffer.baseAddress, slot, socket)
            }
        }
        envp.removeLast()
        if pid < 0 { throw SystemCallError(call: "fork", errno: Glibc.errno, detail: path) }
        return pid
    }

    /// The environment of this process as `KEY=VALUE` strings.
    public static func currentEnvironment() -> [String] {
        var result: [String] = []
        var cursor = Glibc.environ
        while let entry = cursor.pointee {
            result.append(String(cString: entry))
            cursor += 1
        }
        return result
    }

    /// Exit status of a child: `.exited(code)` or `.signaled(signal)`.
    public enum ChildStatus: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    /// Waits for a child; with `block` false returns `nil` while it is still running.
    /// The corresponding C function is `waitpid`.
    public static func wait(for pid: Int32, block: Bool = true) throws(SystemCallError) -> ChildStatus? {
        var status: Int32 = 0
        let result = try Syscall.retrying("waitpid") { waitpid(pid, &status, block ? 0 : WNOHANG) }
        if result == 0 { return nil }
        if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(status & 0x7f)
    }

    /// Sends a signal. The corresponding C function is `kill`.
    public static func sendSignal(_ signal: Int32, to pid: Int32) throws(SystemCallError) {
        _ = try Syscall.retrying("kill") { kill(pid, signal) }
    }

    /// Caps glibc's malloc arenas for the whole process: fewer arenas, fewer retained free pages when
    /// memory is allocated on one thread and freed on another. The corresponding C function is `mallopt`.
    public static func setMallocArenaLimit(_ count: Int32) {
        _ = berth_set_malloc_arena_max(count)
    }

    /// How much free memory glibc keeps at the top of an arena before returning it to the kernel (default
    /// 128 KiB): below it, a burst of allocations that is freed again (a reply of hundreds of entries)
    /// is not given back with madvise only to be faulted in again by the next one. The corresponding C
    /// function is `mallopt`.
    public static func setMallocTrimThreshold(_ bytes: Int32) {
        _ = berth_set_malloc_trim_threshold(bytes)
    }

    /// This process's pid. The corresponding C function is `getpid`.
    public static var processID: Int32 { getpid() }

    /// The effective uid. The corresponding C function is `geteuid`.
    public static var effectiveUserID: UInt32 { geteuid() }
}
