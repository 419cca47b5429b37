internal import CSystemd

// libsystemd's functions under their own names, each calling the function `SystemdLibrary` loaded: these
// module-level functions shadow the declarations CSystemd imports, so the module's code calls sd-bus, sd-daemon
// and sd-journal as written in their manuals, and nothing links libsystemd. Types and constants still come
// from the header. The parameter types are the ones Swift imports the C prototypes with.

@discardableResult func sd_booted() -> Int32 { SystemdLibrary.loaded.sd_booted() }
@discardableResult func sd_bus_add_fallback(
    _ bus: OpaquePointer!,
    _ slot: UnsafeMutablePointer<OpaquePointer?>!,
    _ prefix: UnsafePointer<CChar>!,
    _ callback: sd_bus_message_handler_t!,
    _ userdata: UnsafeMutableRawPointer!
) -> Int32 { SystemdLibrary.loaded.sd_bus_add_fallback(bus, slot, prefix, callback, userdata) }
@discardableResult func sd_bus_add_match(
    _ bus: OpaquePointer!,
    _ slot: UnsafeMutablePointer<OpaquePointer?>!,
    _ match: UnsafePointer<CChar>!,
    _ callback: sd_bus_message_handler_t!,
    _ userdata: UnsafeMutableRawPointer!
) -> Int32 { SystemdLibrary.loaded.sd_bus_add_match(bus, slot, match, callback, userdata) }
@discardableResult func sd_bus_call(
    _ bus: OpaquePointer!,
    _ m: OpaquePointer!,
    _ usec: UInt64,
    _ ret_error: UnsafeMutablePointer<sd_bus_error>!,
    _ reply: UnsafeMutablePointer<OpaquePointer?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_call(bus, m, usec, ret_error, reply) }
@discardableResult func sd_bus_creds_get_egid(_ c: OpaquePointer!, _ egid: UnsafeMutablePointer<gid_t>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_creds_get_egid(c, egid)
}
@discardableResult func sd_bus_creds_get_euid(_ c: OpaquePointer!, _ euid: UnsafeMutablePointer<uid_t>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_creds_get_euid(c, euid)
}
@discardableResult func sd_bus_creds_get_gid(_ c: OpaquePointer!, _ gid: UnsafeMutablePointer<gid_t>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_creds_get_gid(c, gid)
}
@discardableResult func sd_bus_creds_get_pid(_ c: OpaquePointer!, _ pid: UnsafeMutablePointer<pid_t>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_creds_get_pid(c, pid)
}
@discardableResult func sd_bus_creds_get_uid(_ c: OpaquePointer!, _ uid: UnsafeMutablePointer<uid_t>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_creds_get_uid(c, uid)
}
@discardableResult func sd_bus_creds_unref(_ c: OpaquePointer!) -> OpaquePointer! {
    SystemdLibrary.loaded.sd_bus_creds_unref(c)
}
@discardableResult func sd_bus_error_copy(
    _ dest: UnsafeMutablePointer<sd_bus_error>!,
    _ e: UnsafePointer<sd_bus_error>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_error_copy(dest, e)
}
func sd_bus_error_free(_ e: UnsafeMutablePointer<sd_bus_error>!) { SystemdLibrary.loaded.sd_bus_error_free(e) }
@discardableResult func sd_bus_error_is_set(_ e: UnsafePointer<sd_bus_error>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_error_is_set(e)
}
@discardableResult func sd_bus_error_set(
    _ e: UnsafeMutablePointer<sd_bus_error>!,
    _ name: UnsafePointer<CChar>!,
    _ message: UnsafePointer<CChar>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_error_set(e, name, message) }
@discardableResult func sd_bus_error_set_errno(_ e: UnsafeMutablePointer<sd_bus_error>!, _ error: Int32) -> Int32 {
    SystemdLibrary.loaded.sd_bus_error_set_errno(e, error)
}
@discardableResult func sd_bus_flush_close_unref(_ bus: OpaquePointer!) -> OpaquePointer! {
    SystemdLibrary.loaded.sd_bus_flush_close_unref(bus)
}
@discardableResult func sd_bus_get_events(_ bus: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_get_events(bus)
}
@discardableResult func sd_bus_get_fd(_ bus: OpaquePointer!) -> Int32 { SystemdLibrary.loaded.sd_bus_get_fd(bus) }
@discardableResult func sd_bus_get_timeout(
    _ bus: OpaquePointer!,
    _ timeout_usec: UnsafeMutablePointer<UInt64>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_get_timeout(bus, timeout_usec)
}
@discardableResult func sd_bus_is_bus_client(_ bus: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_is_bus_client(bus)
}
@discardableResult func sd_bus_match_signal(
    _ bus: OpaquePointer!,
    _ ret: UnsafeMutablePointer<OpaquePointer?>!,
    _ sender: UnsafePointer<CChar>!,
    _ path: UnsafePointer<CChar>!,
    _ interface: UnsafePointer<CChar>!,
    _ member: UnsafePointer<CChar>!,
    _ callback: sd_bus_message_handler_t!,
    _ userdata: UnsafeMutableRawPointer!
) -> Int32 { SystemdLibrary.loaded.sd_bus_match_signal(bus, ret, sender, path, interface, member, callback, userdata) }
@discardableResult func sd_bus_message_append_array(
    _ m: OpaquePointer!,
    _ type: CChar,
    _ ptr: UnsafeRawPointer!,
    _ size: Int
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_append_array(m, type, ptr, size)
}
@discardableResult func sd_bus_message_append_basic(_ m: OpaquePointer!, _ type: CChar, _ p: UnsafeRawPointer!) -> Int32
{
    SystemdLibrary.loaded.sd_bus_message_append_basic(m, type, p)
}
@discardableResult func sd_bus_message_close_container(_ m: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_close_container(m)
}
@discardableResult func sd_bus_message_enter_container(
    _ m: OpaquePointer!,
    _ type: CChar,
    _ contents: UnsafePointer<CChar>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_enter_container(m, type, contents)
}
@discardableResult func sd_bus_message_exit_container(_ m: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_exit_container(m)
}
@discardableResult func sd_bus_message_get_allow_interactive_authorization(_ m: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_get_allow_interactive_authorization(m)
}
@discardableResult func sd_bus_message_get_expect_reply(_ m: OpaquePointer!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_get_expect_reply(m)
}
@discardableResult func sd_bus_message_get_interface(_ m: OpaquePointer!) -> UnsafePointer<CChar>! {
    SystemdLibrary.loaded.sd_bus_message_get_interface(m)
}
@discardableResult func sd_bus_message_get_member(_ m: OpaquePointer!) -> UnsafePointer<CChar>! {
    SystemdLibrary.loaded.sd_bus_message_get_member(m)
}
@discardableResult func sd_bus_message_get_path(_ m: OpaquePointer!) -> UnsafePointer<CChar>! {
    SystemdLibrary.loaded.sd_bus_message_get_path(m)
}
@discardableResult func sd_bus_message_get_sender(_ m: OpaquePointer!) -> UnsafePointer<CChar>! {
    SystemdLibrary.loaded.sd_bus_message_get_sender(m)
}
@discardableResult func sd_bus_message_get_signature(_ m: OpaquePointer!, _ complete: Int32) -> UnsafePointer<CChar>! {
    SystemdLibrary.loaded.sd_bus_message_get_signature(m, complete)
}
@discardableResult func sd_bus_message_new_method_call(
    _ bus: OpaquePointer!,
    _ m: UnsafeMutablePointer<OpaquePointer?>!,
    _ destination: UnsafePointer<CChar>!,
    _ path: UnsafePointer<CChar>!,
    _ interface: UnsafePointer<CChar>!,
    _ member: UnsafePointer<CChar>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_message_new_method_call(bus, m, destination, path, interface, member) }
@discardableResult func sd_bus_message_new_method_error(
    _ call: OpaquePointer!,
    _ m: UnsafeMutablePointer<OpaquePointer?>!,
    _ e: UnsafePointer<sd_bus_error>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_message_new_method_error(call, m, e) }
@discardableResult func sd_bus_message_new_method_return(
    _ call: OpaquePointer!,
    _ m: UnsafeMutablePointer<OpaquePointer?>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_new_method_return(call, m)
}
@discardableResult func sd_bus_message_open_container(
    _ m: OpaquePointer!,
    _ type: CChar,
    _ contents: UnsafePointer<CChar>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_open_container(m, type, contents)
}
@discardableResult func sd_bus_message_peek_type(
    _ m: OpaquePointer!,
    _ type: UnsafeMutablePointer<CChar>!,
    _ contents: UnsafeMutablePointer<UnsafePointer<CChar>?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_message_peek_type(m, type, contents) }
@discardableResult func sd_bus_message_read_array(
    _ m: OpaquePointer!,
    _ type: CChar,
    _ ptr: UnsafeMutablePointer<UnsafeRawPointer?>!,
    _ size: UnsafeMutablePointer<Int>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_message_read_array(m, type, ptr, size) }
@discardableResult func sd_bus_message_read_basic(
    _ m: OpaquePointer!,
    _ type: CChar,
    _ p: UnsafeMutableRawPointer!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_read_basic(m, type, p)
}
@discardableResult func sd_bus_message_read_strv(
    _ m: OpaquePointer!,
    _ l: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_message_read_strv(m, l) }
@discardableResult func sd_bus_message_ref(_ m: OpaquePointer!) -> OpaquePointer! {
    SystemdLibrary.loaded.sd_bus_message_ref(m)
}
@discardableResult func sd_bus_message_set_allow_interactive_authorization(_ m: OpaquePointer!, _ b: Int32) -> Int32 {
    SystemdLibrary.loaded.sd_bus_message_set_allow_interactive_authorization(m, b)
}
@discardableResult func sd_bus_message_unref(_ m: OpaquePointer!) -> OpaquePointer! {
    SystemdLibrary.loaded.sd_bus_message_unref(m)
}
@discardableResult func sd_bus_new(_ ret: UnsafeMutablePointer<OpaquePointer?>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_new(ret)
}
@discardableResult func sd_bus_open_system(_ ret: UnsafeMutablePointer<OpaquePointer?>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_open_system(ret)
}
@discardableResult func sd_bus_open_user(_ ret: UnsafeMutablePointer<OpaquePointer?>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_open_user(ret)
}
@discardableResult func sd_bus_path_decode(
    _ path: UnsafePointer<CChar>!,
    _ prefix: UnsafePointer<CChar>!,
    _ ret_external_id: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_path_decode(path, prefix, ret_external_id) }
@discardableResult func sd_bus_path_encode(
    _ prefix: UnsafePointer<CChar>!,
    _ external_id: UnsafePointer<CChar>!,
    _ ret_path: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_path_encode(prefix, external_id, ret_path) }
@discardableResult func sd_bus_process(_ bus: OpaquePointer!, _ r: UnsafeMutablePointer<OpaquePointer?>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_process(bus, r)
}
@discardableResult func sd_bus_query_sender_creds(
    _ m: OpaquePointer!,
    _ mask: UInt64,
    _ creds: UnsafeMutablePointer<OpaquePointer?>!
) -> Int32 { SystemdLibrary.loaded.sd_bus_query_sender_creds(m, mask, creds) }
@discardableResult func sd_bus_release_name(_ bus: OpaquePointer!, _ name: UnsafePointer<CChar>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_release_name(bus, name)
}
@discardableResult func sd_bus_reply_method_error(_ call: OpaquePointer!, _ e: UnsafePointer<sd_bus_error>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_reply_method_error(call, e)
}
@discardableResult func sd_bus_request_name(
    _ bus: OpaquePointer!,
    _ name: UnsafePointer<CChar>!,
    _ flags: UInt64
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_request_name(bus, name, flags)
}
@discardableResult func sd_bus_send(
    _ bus: OpaquePointer!,
    _ m: OpaquePointer!,
    _ cookie: UnsafeMutablePointer<UInt64>!
) -> Int32 {
    SystemdLibrary.loaded.sd_bus_send(bus, m, cookie)
}
@discardableResult func sd_bus_set_address(_ bus: OpaquePointer!, _ address: UnsafePointer<CChar>!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_set_address(bus, address)
}
@discardableResult func sd_bus_set_bus_client(_ bus: OpaquePointer!, _ b: Int32) -> Int32 {
    SystemdLibrary.loaded.sd_bus_set_bus_client(bus, b)
}
@discardableResult func sd_bus_slot_set_destroy_callback(_ s: OpaquePointer!, _ callback: sd_bus_destroy_t!) -> Int32 {
    SystemdLibrary.loaded.sd_bus_slot_set_destroy_callback(s, callback)
}
@discardableResult func sd_bus_slot_unref(_ slot: OpaquePointer!) -> OpaquePointer! {
    SystemdLibrary.loaded.sd_bus_slot_unref(slot)
}
@discardableResult func sd_bus_start(_ bus: OpaquePointer!) -> Int32 { SystemdLibrary.loaded.sd_bus_start(bus) }
@discardableResult func sd_bus_wait(_ bus: OpaquePointer!, _ timeout_usec: UInt64) -> Int32 {
    SystemdLibrary.loaded.sd_bus_wait(bus, timeout_usec)
}
@discardableResult func sd_is_socket_unix(
    _ fd: Int32,
    _ type: Int32,
    _ listening: Int32,
    _ path: UnsafePointer<CChar>!,
    _ length: Int
) -> Int32 { SystemdLibrary.loaded.sd_is_socket_unix(fd, type, listening, path, length) }
@discardableResult func sd_journal_sendv(_ iov: UnsafePointer<iovec>!, _ n: Int32) -> Int32 {
    SystemdLibrary.loaded.sd_journal_sendv(iov, n)
}
@discardableResult func sd_listen_fds_with_names(
    _ unset_environment: Int32,
    _ names: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>!
) -> Int32 { SystemdLibrary.loaded.sd_listen_fds_with_names(unset_environment, names) }
@discardableResult func sd_notify(_ unset_environment: Int32, _ state: UnsafePointer<CChar>!) -> Int32 {
    SystemdLibrary.loaded.sd_notify(unset_environment, state)
}
@discardableResult func sd_watchdog_enabled(_ unset_environment: Int32, _ usec: UnsafeMutablePointer<UInt64>!) -> Int32
{
    SystemdLibrary.loaded.sd_watchdog_enabled(unset_environment, usec)
}
