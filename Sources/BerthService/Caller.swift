/// Who is calling the service, as the front door the call came through established it: the
/// Varlink server from SO_PEERCRED, a D-Bus adapter from the bus's credentials.
///
/// Set for the duration of a call as a task-local, so the `Portable.API` methods keep the
/// generated signatures. `nil` means an in-process caller (`berthctl --root`): it acts with its own
/// privileges on the files, so there is nothing to authorize.
package struct Caller: Sendable, Equatable {
    package var uid: UInt32
    package var gid: UInt32
    package var pid: Int32

    package init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    /// The caller of the call being served; `nil` in process.
    @TaskLocal package static var current: Caller?
}
