#if canImport(Glibc)
import Glibc
#endif

/// Starting helper programs (a pager) and looking them up, for command-line tools that must not pull
/// in Foundation's Process, FileManager and ProcessInfo just for that: those bring the whole of
/// Foundation (and ICU's data) into a static binary and into its start-up.
extension Posix {
    /// The value of the environment variable `name`, if set. The corresponding C function is `getenv`.
    package static func environmentValue(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The environment of this process as a dictionary (the first of duplicate keys wins, as getenv).
    package static func environmentDictionary() -> [String: String] {
        var result: [String: String] = [:]
        for entry in currentEnvironment() {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let key = String(entry[..<equals])
            if result[key] == nil { result[key] = String(entry[entry.index(after: equals)...]) }
        }
        return result
    }

    /// Whether `path` is a regular file this process may execute. The corresponding C function is `access`.
    package static func isExecutableFile(_ path: String) -> Bool {
        guard access(path, X_OK) == 0,
            let status = try? FileDescriptor.currentWorkingDirectory.status(of: path, followSymlinks: true)
        else { return false }
        return FileStatus.Kind(fileTypeBits: status.mode) == .regular
    }

    /// A pipe, both ends close-on-exec: `(read, write)`. The corresponding C functions are `pipe` and
    /// `fcntl` (Glibc's Swift module has no `pipe2`; a thread spawning in between would leak the ends,
    /// which the single-threaded CLI never does).
    package static func makePipe() throws(SystemCallError) -> (read: FileDescriptor, write: FileDescriptor) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SystemCallError(call: "pipe", errno: Glibc.errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (FileDescriptor(rawValue: ends[0]), FileDescriptor(rawValue: ends[1]))
    }

    /// Starts `path` with `arguments` and `environment` (`KEY=VALUE` strings), `standardInput` as its
    /// fd 0 and this process's stdout and stderr. The child starts with no signal blocked and SIGPIPE at
    /// its default even when this process ignores it (a pager must die of a closed terminal, not spin).
    /// Returns the child's pid. The corresponding C function is `posix_spawn`.
    package static func spawn(
        path: String,
        arguments: [String],
        environment: [String],
        standardInput: FileDescriptor
    ) throws(SystemCallError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput.rawValue, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SystemCallError(call: "posix_spawn", errno: result, detail: path) }
        return pid
    }
}
