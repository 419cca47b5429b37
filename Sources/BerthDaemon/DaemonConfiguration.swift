package import Logging
package import PortableEngine

/// Everything `berthd` is told on its command line. Every field has a documented default, so
/// `DaemonConfiguration()` is a socket-activated daemon with systemd's usual idle exit.
package struct DaemonConfiguration: Sendable, Equatable {
    /// Where the log goes.
    package enum LogTarget: String, Sendable, CaseIterable {
        /// The journal when stderr is the journal stream (`JOURNAL_STREAM`), else stderr.
        case auto
        /// Always the journal (`sd_journal_sendv`).
        case journal
        /// Always plain text on stderr.
        case console
    }

    /// Addresses to bind (`--listen=unix:PATH`, repeatable), for development without systemd.
    /// Empty (the default): adopt the sockets systemd passed (`LISTEN_FDS`).
    package var listenAddresses: [String] = []
    /// Exit after this long with no connection and no call in flight; nil never exits on idle.
    /// Default 30 s, as systemd's own on-demand services (`--idle-timeout=SEC`, 0 = never).
    package var idleTimeout: Duration? = .seconds(30)
    /// The initial log level (`--log-level=`, a swift-log name or a syslog number 0–7). Default info.
    package var logLevel: Logger.Level = .info
    /// `--log-target=auto|journal|console`. Default auto.
    package var logTarget: LogTarget = .auto
    /// Group (name or GID) whose members may attach/detach besides root (`--group=`) where polkitd does
    /// not run. Default none.
    package var authorizedGroup: String?
    /// Operate on an offline tree instead of `/` (`--root=DIR`); implies no PID 1 calls.
    package var root: String?
    /// Berth's own profile directory (`--profile-directory=DIR`), searched after systemd's.
    package var profileDirectory: String?
    /// Do the file work only, never talk to PID 1 (`--no-pid1`).
    package var usePID1 = true
    /// Also serve org.freedesktop.portable1 on the system bus (`--bus`), as systemd-portabled does;
    /// the bus address comes from `DBUS_SYSTEM_BUS_ADDRESS` where set. With `--user`, on the user's bus
    /// (`DBUS_SESSION_BUS_ADDRESS`, else `$XDG_RUNTIME_DIR/bus`), as `systemd-portabled --user`.
    package var servesBus = false
    /// `--user`: serve the user scope of the user berthd runs as (portabled 260's `--user`): that user's
    /// unit and image directories and service manager. Default `--system`.
    package var scope: PortableScope = .system

    package init() {}

    /// The `--help` text.
    package static let usage = """
        Usage: berthd [OPTIONS]

        Serves io.berth.Portable and io.systemd.service over Varlink. Normally started by
        berthd.socket (socket activation); exits when idle and is started again on demand.

        Options:
          --listen=ADDRESS       Bind ADDRESS (unix:PATH, @NAME) instead of adopting LISTEN_FDS
                                 (development; repeatable)
          --idle-timeout=SEC     Exit after SEC seconds without connections (default 30; 0 = never)
          --log-level=LEVEL      trace, debug, info, notice, warning, error, critical or 0-7 (default info)
          --log-target=TARGET    auto, journal or console (default auto)
          --group=GROUP          Members of GROUP (name or GID) may attach and detach, besides root,
                                 when polkitd is not on the system bus (else polkit decides)
          --root=DIR             Operate on the offline tree DIR (no PID 1 calls)
          --profile-directory=DIR  Berth's own profiles, searched after systemd's
          --no-pid1              Write files only; never talk to PID 1
          --user                 Serve the user scope: the calling user's unit and image
                                 directories and service manager (user unit berthd.socket)
          --system               Serve the system scope (default)
          --bus                  Also serve org.freedesktop.portable1 on the system bus, with
                                 --user on the user's bus (drop-in for systemd-portabled;
                                 berthd-portable1.service)
          --recover              Finish or roll back operations a crash interrupted, reload PID 1
                                 if that changed anything, and exit (berthd-recover.service, at boot)
          -h, --help             Show this help
          --version              Show the version
        """
}
