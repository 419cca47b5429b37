#if canImport(Glibc)
import Glibc
#endif

/// A C library loaded on first use with `dlopen` instead of linked: berthctl and berthd start without
/// it, and only the code paths that need it (LUKS and verity, root hash signatures) pay for loading
/// it. It stays loaded for the life of the process: no `dlclose`, so the symbols never dangle.
package struct DynamicLibrary: @unchecked Sendable {
    package let soname: String
    private let handle: UnsafeMutableRawPointer

    /// Loads `soname`; a missing library is an error that says which package provides it.
    /// - Parameters:
    ///   - missingHint: appended to the loader's message, e.g. "install libssl3 to …".
    ///   - bindingNow: resolve every function of the library and its dependencies now (`RTLD_NOW`), or
    ///     on each one's first call (`RTLD_LAZY`), which spares a start that calls few of them the binding
    ///     of all (libsystemd's dependencies: 55,000 of berthd's start instructions, `Benchmarks/profile/run.sh`).
    package init(soname: String, missingHint: String, bindingNow: Bool = true) throws(SystemCallError) {
        guard let handle = dlopen(soname, (bindingNow ? RTLD_NOW : RTLD_LAZY) | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            throw SystemCallError(call: "dlopen", errno: ENOENT, detail: "\(reason) (\(missingHint))")
        }
        self.soname = soname
        self.handle = handle
    }

    /// The function `name`, typed as the `@convention(c)` function type the caller declares.
    package func symbol<Function>(_ name: String) throws(SystemCallError) -> Function {
        unsafeBitCast(try address(of: name), to: Function.self)
    }

    /// The address of the symbol `name`, for a caller that casts it where the function type is concrete:
    /// `symbol` is generic across modules, so each call instantiates its function type's metadata.
    package func address(of name: String) throws(SystemCallError) -> UnsafeMutableRawPointer {
        guard let address = dlsym(handle, name) else {
            throw SystemCallError(call: "dlsym", errno: ENOENT, detail: "\(soname) has no \(name)")
        }
        return address
    }
}
