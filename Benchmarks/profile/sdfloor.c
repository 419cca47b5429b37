// sdfloor: the start floor of a socket-activated C server that takes its socket through libsystemd.
//   sdfloor        (started by coldstart.c as systemd starts a service: fd 3, LISTEN_FDS, LISTEN_PID)
// It does what berthd does before its first reply and nothing else: sd_listen_fds_with_names,
// sd_is_socket_unix on the passed fd, sd_notify READY=1, then an epoll loop that answers every
// message with one canned org.varlink.service.GetInfo reply. Linked with -lsystemd, as a C daemon
// is; beside coldstart's c-raw (the same loop, binding its own socket, no libsystemd) it shows what
// libsystemd and its dependencies cost any server before its first reply.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static const char reply[] =
	"{\"parameters\":{\"vendor\":\"sdfloor\",\"product\":\"sdfloor\",\"version\":\"1\",\"url\":\"-\","
	"\"interfaces\":[\"org.varlink.service\"]}}";

int main(void) {
	char **names = NULL;
	int count = sd_listen_fds_with_names(1, &names);
	if (count != 1 || sd_is_socket_unix(SD_LISTEN_FDS_START, SOCK_STREAM, 1, NULL, 0) <= 0) {
		fprintf(stderr, "sdfloor: expected one listening AF_UNIX socket from systemd\n");
		return 1;
	}
	free(names[0]), free(names);
	sd_notify(0, "READY=1");
	int epoll = epoll_create1(EPOLL_CLOEXEC), listener = SD_LISTEN_FDS_START;
	struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
	if (epoll < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event) < 0) return perror("epoll"), 1;
	char buffer[4096];
	for (;;) {
		struct epoll_event ready[64];
		int n = epoll_wait(epoll, ready, 64, -1);
		for (int i = 0; i < n; i++) {
			int fd = ready[i].data.fd;
			if (fd == listener) {
				int client = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
				struct epoll_event in = {.events = EPOLLIN, .data.fd = client};
				if (client >= 0) epoll_ctl(epoll, EPOLL_CTL_ADD, client, &in);
				continue;
			}
			// coldstart sends one whole call at a time and waits for its reply: one read is one call.
			ssize_t got = read(fd, buffer, sizeof buffer);
			if (got <= 0 || write(fd, reply, sizeof reply) != (ssize_t)sizeof reply) close(fd);
		}
	}
}
