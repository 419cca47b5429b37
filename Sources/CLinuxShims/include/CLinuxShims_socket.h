// CLinuxShims: socket helpers (CMSG macros for SCM_RIGHTS, ucred, AF_UNIX addresses, exec: spawning).
#pragma once
// Only freestanding headers here: system headers under _GNU_SOURCE would give this module a different
// fd_set than Glibc's and CSystemd's, and clang refuses to merge them. The .c file includes the real ones.
#include <stddef.h>
#include <stdint.h>

/// epoll event bits (the kernel's values).
#define BERTH_EPOLLIN 0x001u
#define BERTH_EPOLLOUT 0x004u
#define BERTH_EPOLLERR 0x008u
#define BERTH_EPOLLHUP 0x010u
#define BERTH_EPOLLRDHUP 0x2000u

/// One epoll event without the kernel struct's packing.
struct berth_epoll_event {
    uint32_t events;
    uint64_t token;
};

int berth_epoll_create(void);
/// `operation`: 0 add, 1 modify, 2 delete.
int berth_epoll_control(int epoll_fd, int operation, int fd, uint32_t events, uint64_t token);
int berth_epoll_wait(int epoll_fd, struct berth_epoll_event *events, int capacity, int timeout_ms);

int berth_eventfd(void);
int berth_eventfd_signal(int fd);
int berth_eventfd_drain(int fd);

/// Blocks `signals` in the calling thread and returns a non-blocking close-on-exec signalfd for them.
int berth_signalfd(const int *signals, size_t count);
/// Reads one signal number from a signalfd; 0 when none is pending.
int berth_signalfd_read(int fd);

/// Sends `length` bytes with `fd_count` descriptors attached as SCM_RIGHTS (none when 0).
/// Returns what sendmsg returns; errno is left for the caller.
long berth_send_with_fds(int socket_fd, const void *bytes, size_t length, const int *fds, size_t fd_count);

/// Receives up to `length` bytes; descriptors that arrive are stored in `fds` (at most `fd_capacity`), their count
/// in `*fd_count`. Received descriptors get O_CLOEXEC. `*truncated` is set when the kernel dropped control data.
long berth_receive_with_fds(
    int socket_fd, void *bytes, size_t length, int *fds, size_t fd_capacity, size_t *fd_count, int *truncated, int peek);

/// A close-on-exec AF_UNIX stream socket, optionally non-blocking.
int berth_unix_stream_socket(int nonblocking);

/// A close-on-exec AF_UNIX stream socket pair, optionally non-blocking.
int berth_unix_stream_socketpair(int nonblocking, int fds[2]);

/// accept4 with SOCK_NONBLOCK|SOCK_CLOEXEC, no peer address.
int berth_accept(int listen_fd);

/// SO_PEERCRED of a connected AF_UNIX socket.
int berth_peer_credentials(int socket_fd, uint32_t *uid, uint32_t *gid, int32_t *pid);

/// Binds `socket_fd` to an AF_UNIX address. `abstract` selects the Linux abstract namespace (no leading NUL
/// in `name`). Returns -1 with errno = ENAMETOOLONG when the name does not fit sun_path.
int berth_bind_unix(int socket_fd, const char *name, size_t name_length, int abstract);

/// Connects `socket_fd` to an AF_UNIX address, same naming rules as berth_bind_unix.
int berth_connect_unix(int socket_fd, const char *name, size_t name_length, int abstract);

/// The longest name an AF_UNIX path can have (excluding the terminating NUL).
size_t berth_unix_path_max(void);

/// Forks and execs `path` with `argv`/`envp`, the child's fd 3 being `socket_fd` (close-on-exec cleared),
/// and LISTEN_PID set to the child's pid: `envp[listen_pid_slot]` is replaced in the child by
/// "LISTEN_PID=<pid>" (async-signal-safe formatting). Returns the child's pid, or -1 with errno.
int berth_spawn_with_listen_fd(const char *path, char *const argv[], char *envp[], size_t listen_pid_slot, int socket_fd);

/// mallopt(M_ARENA_MAX, count): caps glibc's per-thread malloc arenas (process-wide).
int berth_set_malloc_arena_max(int count);

/// mallopt(M_TRIM_THRESHOLD, bytes): how much free memory glibc keeps at an arena's top before giving it back.
int berth_set_malloc_trim_threshold(int bytes);
