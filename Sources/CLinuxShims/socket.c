// CLinuxShims: socket helpers.
#define _GNU_SOURCE 1  /* here, not in the module headers: see CLinuxShims.h */
#include "CLinuxShims.h"

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

// Matches the kernel's SCM_MAX_FD: more descriptors than this never arrive with one sendmsg.
#define BERTH_MAX_FDS_PER_MESSAGE 253

long berth_send_with_fds(int socket_fd, const void *bytes, size_t length, const int *fds, size_t fd_count) {
    const int flags = MSG_DONTWAIT;
    struct iovec iov = { .iov_base = (void *)bytes, .iov_len = length };
    struct msghdr message;
    memset(&message, 0, sizeof(message));
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    if (fd_count == 0) return sendmsg(socket_fd, &message, flags | MSG_NOSIGNAL);
    if (fd_count > BERTH_MAX_FDS_PER_MESSAGE) {
        errno = ENOBUFS;
        return -1;
    }
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int) * BERTH_MAX_FDS_PER_MESSAGE)];
    } control;
    memset(&control, 0, sizeof(control));
    message.msg_control = control.space;
    message.msg_controllen = CMSG_SPACE(sizeof(int) * fd_count);
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int) * fd_count);
    memcpy(CMSG_DATA(header), fds, sizeof(int) * fd_count);
    return sendmsg(socket_fd, &message, flags | MSG_NOSIGNAL);
}

long berth_receive_with_fds(
    int socket_fd, void *bytes, size_t length, int *fds, size_t fd_capacity, size_t *fd_count, int *truncated, int peek) {
    const int flags = MSG_DONTWAIT | (peek ? MSG_PEEK : 0);
    struct iovec iov = { .iov_base = bytes, .iov_len = length };
    struct msghdr message;
    memset(&message, 0, sizeof(message));
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    union {
        struct cmsghdr header;
        char space[CMSG_SPACE(sizeof(int) * BERTH_MAX_FDS_PER_MESSAGE)];
    } control;
    message.msg_control = control.space;
    message.msg_controllen = sizeof(control.space);
    *fd_count = 0;
    *truncated = 0;
    ssize_t received = recvmsg(socket_fd, &message, flags | MSG_CMSG_CLOEXEC);
    if (received < 0) return received;
    if (message.msg_flags & MSG_CTRUNC) *truncated = 1;
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
        size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const int *incoming = (const int *)CMSG_DATA(header);
        for (size_t index = 0; index < count; index++) {
            int fd;
            memcpy(&fd, incoming + index, sizeof(int));
            if (*fd_count < fd_capacity) {
                fds[(*fd_count)++] = fd;
            } else {
                close(fd);
                *truncated = 1;
            }
        }
    }
    return received;
}

int berth_unix_stream_socket(int nonblocking) {
    return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
}

int berth_unix_stream_socketpair(int nonblocking, int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0, fds);
}

int berth_accept(int listen_fd) { return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int berth_peer_credentials(int socket_fd, uint32_t *uid, uint32_t *gid, int32_t *pid) {
    struct ucred credentials;
    socklen_t size = sizeof(credentials);
    if (getsockopt(socket_fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) < 0) return -1;
    *uid = credentials.uid;
    *gid = credentials.gid;
    *pid = credentials.pid;
    return 0;
}

static int berth_fill_unix_address(struct sockaddr_un *address, socklen_t *size, const char *name, size_t name_length, int abstract) {
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    size_t offset = abstract ? 1 : 0;
    // Paths need room for their NUL; abstract names are counted by length and need none.
    size_t capacity = sizeof(address->sun_path) - (abstract ? 1 : 1);
    if (name_length == 0 || name_length > capacity || memchr(name, 0, name_length) != NULL) {
        errno = name_length == 0 || name_length <= capacity ? EINVAL : ENAMETOOLONG;
        return -1;
    }
    memcpy(address->sun_path + offset, name, name_length);
    *size = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + offset + name_length + (abstract ? 0 : 1));
    return 0;
}

int berth_bind_unix(int socket_fd, const char *name, size_t name_length, int abstract) {
    struct sockaddr_un address;
    socklen_t size;
    if (berth_fill_unix_address(&address, &size, name, name_length, abstract) < 0) return -1;
    return bind(socket_fd, (struct sockaddr *)&address, size);
}

int berth_connect_unix(int socket_fd, const char *name, size_t name_length, int abstract) {
    struct sockaddr_un address;
    socklen_t size;
    if (berth_fill_unix_address(&address, &size, name, name_length, abstract) < 0) return -1;
    return connect(socket_fd, (struct sockaddr *)&address, size);
}

size_t berth_unix_path_max(void) { return sizeof(((struct sockaddr_un *)0)->sun_path) - 1; }

// Writes "LISTEN_PID=<pid>" into `buffer` without stdio (async-signal-safe).
static void berth_format_listen_pid(char *buffer, size_t capacity, pid_t pid) {
    const char prefix[] = "LISTEN_PID=";
    char digits[16];
    size_t digit_count = 0;
    unsigned long value = (unsigned long)pid;
    do {
        digits[digit_count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value && digit_count < sizeof(digits));
    size_t position = 0;
    for (size_t index = 0; prefix[index] && position + 1 < capacity; index++) buffer[position++] = prefix[index];
    while (digit_count && position + 1 < capacity) buffer[position++] = digits[--digit_count];
    buffer[position] = 0;
}

int berth_spawn_with_listen_fd(const char *path, char *const argv[], char *envp[], size_t listen_pid_slot, int socket_fd) {
    pid_t child = fork();
    if (child != 0) return child;
    // Child: only async-signal-safe calls from here on.
    char listen_pid[32];
    berth_format_listen_pid(listen_pid, sizeof(listen_pid), getpid());
    envp[listen_pid_slot] = listen_pid;
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    if (socket_fd == 3) {
        int flags = fcntl(3, F_GETFD);
        if (flags < 0 || fcntl(3, F_SETFD, flags & ~FD_CLOEXEC) < 0) _exit(127);
    } else if (dup2(socket_fd, 3) < 0) {
        _exit(127);
    }
    execve(path, argv, envp);
    _exit(127);
}

int berth_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int berth_epoll_control(int epoll_fd, int operation, int fd, uint32_t events, uint64_t token) {
    struct epoll_event event = { .events = events, .data.u64 = token };
    int op = operation == 0 ? EPOLL_CTL_ADD : operation == 1 ? EPOLL_CTL_MOD : EPOLL_CTL_DEL;
    return epoll_ctl(epoll_fd, op, fd, &event);
}

int berth_epoll_wait(int epoll_fd, struct berth_epoll_event *events, int capacity, int timeout_ms) {
    struct epoll_event raw[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll_fd, raw, capacity, timeout_ms);
    for (int index = 0; index < count; index++) {
        events[index].events = raw[index].events;
        events[index].token = raw[index].data.u64;
    }
    return count;
}

int berth_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int berth_eventfd_signal(int fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

int berth_eventfd_drain(int fd) {
    uint64_t value;
    return read(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}

int berth_signalfd(const int *signals, size_t count) {
    sigset_t set;
    sigemptyset(&set);
    for (size_t index = 0; index < count; index++) sigaddset(&set, signals[index]);
    int blocked = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (blocked != 0) {
        errno = blocked;
        return -1;
    }
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int berth_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    if (read(fd, &info, sizeof(info)) != sizeof(info)) return 0;
    return (int)info.ssi_signo;
}

int berth_set_malloc_arena_max(int count) { return mallopt(M_ARENA_MAX, count); }

int berth_set_malloc_trim_threshold(int bytes) { return mallopt(M_TRIM_THRESHOLD, bytes); }
