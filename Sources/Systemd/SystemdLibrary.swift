internal import CSystemd
internal import SystemCalls

/// libsystemd, loaded with `dlopen` the first time something needs it: socket activation
/// (`sd_listen_fds_with_names`), a notification, a journal entry or a bus connection.
///
/// Linking it made every process that contains the Systemd module (berthd, berthctl) map and relocate
/// libsystemd and its dependencies (libgcrypt, liblzma, libzstd, liblz4, libcap, libgpg-error on Debian 12)
/// before `main`: about 0.8 M instructions, 67 page faults and 1 MiB of RSS (`Benchmarks/profile/run.sh`),
/// paid by `berthd --listen=`, `--version` and every berthctl command that never talks to systemd. The
/// functions stay libsystemd's own; only their addresses come from this table. The header still supplies
/// every type and constant, and `SystemdLibrary+Functions.swift` gives each function used here a Swift
/// function of the same name, so call sites read as the C API and a new `sd_*` call that is not in this
/// table fails at link time instead of quietly linking the library again.
struct SystemdLibrary: @unchecked Sendable {
    let sd_booted: @convention(c) () -> Int32
    let sd_bus_add_fallback:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, sd_bus_message_handler_t?,
            UnsafeMutableRawPointer?
        ) -> Int32
    let sd_bus_add_match:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, sd_bus_message_handler_t?,
            UnsafeMutableRawPointer?
        ) -> Int32
    let sd_bus_call:
        @convention(c) (
            OpaquePointer?, OpaquePointer?, UInt64, UnsafeMutablePointer<sd_bus_error>?,
            UnsafeMutablePointer<OpaquePointer?>?
        ) -> Int32
    let sd_bus_creds_get_egid: @convention(c) (OpaquePointer?, UnsafeMutablePointer<gid_t>?) -> Int32
    let sd_bus_creds_get_euid: @convention(c) (OpaquePointer?, UnsafeMutablePointer<uid_t>?) -> Int32
    let sd_bus_creds_get_gid: @convention(c) (OpaquePointer?, UnsafeMutablePointer<gid_t>?) -> Int32
    let sd_bus_creds_get_pid: @convention(c) (OpaquePointer?, UnsafeMutablePointer<pid_t>?) -> Int32
    let sd_bus_creds_get_uid: @convention(c) (OpaquePointer?, UnsafeMutablePointer<uid_t>?) -> Int32
    let sd_bus_creds_unref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let sd_bus_error_copy: @convention(c) (UnsafeMutablePointer<sd_bus_error>?, UnsafePointer<sd_bus_error>?) -> Int32
    let sd_bus_error_free: @convention(c) (UnsafeMutablePointer<sd_bus_error>?) -> Void
    let sd_bus_error_is_set: @convention(c) (UnsafePointer<sd_bus_error>?) -> Int32
    let sd_bus_error_set:
        @convention(c) (UnsafeMutablePointer<sd_bus_error>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let sd_bus_error_set_errno: @convention(c) (UnsafeMutablePointer<sd_bus_error>?, Int32) -> Int32
    let sd_bus_flush_close_unref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let sd_bus_get_events: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_get_fd: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_get_timeout: @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
    let sd_bus_is_bus_client: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_match_signal:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
            UnsafePointer<CChar>?, UnsafePointer<CChar>?, sd_bus_message_handler_t?, UnsafeMutableRawPointer?
        ) -> Int32
    let sd_bus_message_append_array: @convention(c) (OpaquePointer?, CChar, UnsafeRawPointer?, Int) -> Int32
    let sd_bus_message_append_basic: @convention(c) (OpaquePointer?, CChar, UnsafeRawPointer?) -> Int32
    let sd_bus_message_close_container: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_message_enter_container: @convention(c) (OpaquePointer?, CChar, UnsafePointer<CChar>?) -> Int32
    let sd_bus_message_exit_container: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_message_get_allow_interactive_authorization: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_message_get_expect_reply: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_message_get_interface: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    let sd_bus_message_get_member: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    let sd_bus_message_get_path: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    let sd_bus_message_get_sender: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    let sd_bus_message_get_signature: @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<CChar>?
    let sd_bus_message_new_method_call:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
            UnsafePointer<CChar>?, UnsafePointer<CChar>?
        ) -> Int32
    let sd_bus_message_new_method_error:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<sd_bus_error>?) -> Int32
    let sd_bus_message_new_method_return:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_message_open_container: @convention(c) (OpaquePointer?, CChar, UnsafePointer<CChar>?) -> Int32
    let sd_bus_message_peek_type:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<UnsafePointer<CChar>?>?) ->
            Int32
    let sd_bus_message_read_array:
        @convention(c) (OpaquePointer?, CChar, UnsafeMutablePointer<UnsafeRawPointer?>?, UnsafeMutablePointer<Int>?) ->
            Int32
    let sd_bus_message_read_basic: @convention(c) (OpaquePointer?, CChar, UnsafeMutableRawPointer?) -> Int32
    let sd_bus_message_read_strv:
        @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) ->
            Int32
    let sd_bus_message_ref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let sd_bus_message_set_allow_interactive_authorization: @convention(c) (OpaquePointer?, Int32) -> Int32
    let sd_bus_message_unref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let sd_bus_new: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_open_system: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_open_user: @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_path_decode:
        @convention(c) (
            UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        ) -> Int32
    let sd_bus_path_encode:
        @convention(c) (
            UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        ) -> Int32
    let sd_bus_process: @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_query_sender_creds:
        @convention(c) (OpaquePointer?, UInt64, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    let sd_bus_release_name: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    let sd_bus_reply_method_error: @convention(c) (OpaquePointer?, UnsafePointer<sd_bus_error>?) -> Int32
    let sd_bus_request_name: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UInt64) -> Int32
    let sd_bus_send: @convention(c) (OpaquePointer?, OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
    let sd_bus_set_address: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    let sd_bus_set_bus_client: @convention(c) (OpaquePointer?, Int32) -> Int32
    let sd_bus_slot_set_destroy_callback: @convention(c) (OpaquePointer?, sd_bus_destroy_t?) -> Int32
    let sd_bus_slot_unref: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let sd_bus_start: @convention(c) (OpaquePointer?) -> Int32
    let sd_bus_wait: @convention(c) (OpaquePointer?, UInt64) -> Int32
    let sd_is_socket_unix: @convention(c) (Int32, Int32, Int32, UnsafePointer<CChar>?, Int) -> Int32
    let sd_journal_sendv: @convention(c) (UnsafePointer<iovec>?, Int32) -> Int32
    let sd_listen_fds_with_names:
        @convention(c) (Int32, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32
    let sd_notify: @convention(c) (Int32, UnsafePointer<CChar>?) -> Int32
    let sd_watchdog_enabled: @convention(c) (Int32, UnsafeMutablePointer<UInt64>?) -> Int32
    /// The soname every systemd since 209 ships.
    static let soname = "libsystemd.so.0"

    /// Loaded once per process; the error is remembered so every caller gets the same explanation.
    static let shared: Result<SystemdLibrary, SystemCallError> = Result { () throws(SystemCallError) in
        try SystemdLibrary(soname: soname)
    }

    /// Loads the library if needed; the entry points (socket activation, notifications, the journal, a bus
    /// connection) call this first, so a missing libsystemd is an error that says so, not a crash.
    static func load() throws(SystemdError) {
        do {
            _ = try shared.get()
        } catch {
            throw .systemCall(error)
        }
    }

    /// The table, for the functions in `SystemdLibrary+Functions.swift`: only reached through an object or a
    /// path that an entry point's `load()` let through, so the library is there.
    static var loaded: SystemdLibrary {
        switch shared {
        case .success(let library): return library
        case .failure(let error): preconditionFailure("libsystemd used before SystemdLibrary.load(): \(error)")
        }
    }

    /// `name` cast to the field's function type here, where it is concrete and the cast costs nothing:
    /// DynamicLibrary's generic `symbol` instantiated each function type's metadata at run time (0.2 M
    /// instructions of berthd's start for these 64 functions, `Benchmarks/profile/run.sh`).
    private static func resolve<Function>(_ library: DynamicLibrary, _ name: String) throws(SystemCallError) -> Function
    {
        unsafeBitCast(try library.address(of: name), to: Function.self)
    }

    private init(soname: String) throws(SystemCallError) {
        let library = try DynamicLibrary(
            soname: soname,
            missingHint: "install libsystemd0: socket activation, sd_notify, the journal and D-Bus need it",
            bindingNow: false
        )
        sd_booted = try Self.resolve(library, "sd_booted")
        sd_bus_add_fallback = try Self.resolve(library, "sd_bus_add_fallback")
        sd_bus_add_match = try Self.resolve(library, "sd_bus_add_match")
        sd_bus_call = try Self.resolve(library, "sd_bus_call")
        sd_bus_creds_get_egid = try Self.resolve(library, "sd_bus_creds_get_egid")
        sd_bus_creds_get_euid = try Self.resolve(library, "sd_bus_creds_get_euid")
        sd_bus_creds_get_gid = try Self.resolve(library, "sd_bus_creds_get_gid")
        sd_bus_creds_get_pid = try Self.resolve(library, "sd_bus_creds_get_pid")
        sd_bus_creds_get_uid = try Self.resolve(library, "sd_bus_creds_get_uid")
        sd_bus_creds_unref = try Self.resolve(library, "sd_bus_creds_unref")
        sd_bus_error_copy = try Self.resolve(library, "sd_bus_error_copy")
        sd_bus_error_free = try Self.resolve(library, "sd_bus_error_free")
        sd_bus_error_is_set = try Self.resolve(library, "sd_bus_error_is_set")
        sd_bus_error_set = try Self.resolve(library, "sd_bus_error_set")
        sd_bus_error_set_errno = try Self.resolve(library, "sd_bus_error_set_errno")
        sd_bus_flush_close_unref = try Self.resolve(library, "sd_bus_flush_close_unref")
        sd_bus_get_events = try Self.resolve(library, "sd_bus_get_events")
        sd_bus_get_fd = try Self.resolve(library, "sd_bus_get_fd")
        sd_bus_get_timeout = try Self.resolve(library, "sd_bus_get_timeout")
        sd_bus_is_bus_client = try Self.resolve(library, "sd_bus_is_bus_client")
        sd_bus_match_signal = try Self.resolve(library, "sd_bus_match_signal")
        sd_bus_message_append_array = try Self.resolve(library, "sd_bus_message_append_array")
        sd_bus_message_append_basic = try Self.resolve(library, "sd_bus_message_append_basic")
        sd_bus_message_close_container = try Self.resolve(library, "sd_bus_message_close_container")
        sd_bus_message_enter_container = try Self.resolve(library, "sd_bus_message_enter_container")
        sd_bus_message_exit_container = try Self.resolve(library, "sd_bus_message_exit_container")
        sd_bus_message_get_allow_interactive_authorization = try Self.resolve(
            library,
            "sd_bus_message_get_allow_interactive_authorization"
        )
        sd_bus_message_get_expect_reply = try Self.resolve(library, "sd_bus_message_get_expect_reply")
        sd_bus_message_get_interface = try Self.resolve(library, "sd_bus_message_get_interface")
        sd_bus_message_get_member = try Self.resolve(library, "sd_bus_message_get_member")
        sd_bus_message_get_path = try Self.resolve(library, "sd_bus_message_get_path")
        sd_bus_message_get_sender = try Self.resolve(library, "sd_bus_message_get_sender")
        sd_bus_message_get_signature = try Self.resolve(library, "sd_bus_message_get_signature")
        sd_bus_message_new_method_call = try Self.resolve(library, "sd_bus_message_new_method_call")
        sd_bus_message_new_method_error = try Self.resolve(library, "sd_bus_message_new_method_error")
        sd_bus_message_new_method_return = try Self.resolve(library, "sd_bus_message_new_method_return")
        sd_bus_message_open_container = try Self.resolve(library, "sd_bus_message_open_container")
        sd_bus_message_peek_type = try Self.resolve(library, "sd_bus_message_peek_type")
        sd_bus_message_read_array = try Self.resolve(library, "sd_bus_message_read_array")
        sd_bus_message_read_basic = try Self.resolve(library, "sd_bus_message_read_basic")
        sd_bus_message_read_strv = try Self.resolve(library, "sd_bus_message_read_strv")
        sd_bus_message_ref = try Self.resolve(library, "sd_bus_message_ref")
        sd_bus_message_set_allow_interactive_authorization = try Self.resolve(
            library,
            "sd_bus_message_set_allow_interactive_authorization"
        )
        sd_bus_message_unref = try Self.resolve(library, "sd_bus_message_unref")
        sd_bus_new = try Self.resolve(library, "sd_bus_new")
        sd_bus_open_system = try Self.resolve(library, "sd_bus_open_system")
        sd_bus_open_user = try Self.resolve(library, "sd_bus_open_user")
        sd_bus_path_decode = try Self.resolve(library, "sd_bus_path_decode")
        sd_bus_path_encode = try Self.resolve(library, "sd_bus_path_encode")
        sd_bus_process = try Self.resolve(library, "sd_bus_process")
        sd_bus_query_sender_creds = try Self.resolve(library, "sd_bus_query_sender_creds")
        sd_bus_release_name = try Self.resolve(library, "sd_bus_release_name")
        sd_bus_reply_method_error = try Self.resolve(library, "sd_bus_reply_method_error")
        sd_bus_request_name = try Self.resolve(library, "sd_bus_request_name")
        sd_bus_send = try Self.resolve(library, "sd_bus_send")
        sd_bus_set_address = try Self.resolve(library, "sd_bus_set_address")
        sd_bus_set_bus_client = try Self.resolve(library, "sd_bus_set_bus_client")
        sd_bus_slot_set_destroy_callback = try Self.resolve(library, "sd_bus_slot_set_destroy_callback")
        sd_bus_slot_unref = try Self.resolve(library, "sd_bus_slot_unref")
        sd_bus_start = try Self.resolve(library, "sd_bus_start")
        sd_bus_wait = try Self.resolve(library, "sd_bus_wait")
        sd_is_socket_unix = try Self.resolve(library, "sd_is_socket_unix")
        sd_journal_sendv = try Self.resolve(library, "sd_journal_sendv")
        sd_listen_fds_with_names = try Self.resolve(library, "sd_listen_fds_with_names")
        sd_notify = try Self.resolve(library, "sd_notify")
        sd_watchdog_enabled = try Self.resolve(library, "sd_watchdog_enabled")
    }
}
