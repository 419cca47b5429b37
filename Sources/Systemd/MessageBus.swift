/// Which message bus a connection without an explicit address goes to.
package enum MessageBus: Sendable, Equatable {
    /// The system bus (`DBUS_SYSTEM_BUS_ADDRESS` where set), where systemd-portabled serves.
    case system
    /// The calling user's bus (`DBUS_SESSION_BUS_ADDRESS` where set, else `$XDG_RUNTIME_DIR/bus`), where
    /// `systemd-portabled --user` serves and `portablectl --user` looks.
    case user
}
