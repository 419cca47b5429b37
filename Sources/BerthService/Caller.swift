package import SystemCalls

/// Who is calling the service, as the front door the call came through established it: the
/// Varlink server from SO_PEERCRED, a D-Bus adapter from the bus's credentials.
///
/// Set for the duration of a call as a task-local, so the `Portable.API` methods keep the
/// generated signatures. `nil` means an in-process caller (`berthctl --root`): it acts with its own
/// privileges on the files, so there is nothing to authorize.
package enum Caller {
    /// The credentials of the call being served; `nil` in process.
    @TaskLocal package static var current: PeerCredentials?
    /// What the D-Bus front door knows beyond the credentials; `nil` for Varlink and in process.
    @TaskLocal package static var bus: CallerOnBus?
}
