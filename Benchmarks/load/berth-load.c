// berth-load: many concurrent Varlink clients against berthd (AF_UNIX only).
// Every connection keeps one call in flight and cycles ListImages / GetImage / GetImageState until it
// has made -n calls or -d seconds have passed. Every reply is checked; a reply carrying "error" counts as
// an error, a connection the server closes (e.g. over its per-UID cap) counts as dropped.
//
//   berth-load [-c CONNS] [-n CALLS_PER_CONN] [-d MAX_SECS] [-i IMAGE] [-l LABEL] [-H HOLD_SECS] ADDR
//   -H: after connecting, hold the connections idle this long (a flood that only occupies slots), no calls.
// Prints one JSON line on stdout.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	int fd;
	char buf[65536];
	size_t len;
	long calls;
	uint64_t sent_ns;
	int open;
} conn_t;

static struct sockaddr_un addr;
static socklen_t addrlen;
static const char *image = "foo_1";
static char requests[3][512];
static size_t request_lengths[3];

static uint64_t now_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b) {
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int send_call(conn_t *c) {
	int which = (int)(c->calls % 3);
	c->sent_ns = now_ns();
	// Requests are small: one send() either takes all of it or the connection is broken.
	ssize_t n = send(c->fd, requests[which], request_lengths[which], MSG_NOSIGNAL);
	return n == (ssize_t)request_lengths[which] ? 0 : -1;
}

int main(int argc, char **argv) {
	long conns = 100, per_conn = 100;
	double max_secs = 30, hold_secs = 0;
	const char *label = "";
	int opt;
	while ((opt = getopt(argc, argv, "c:n:d:i:l:H:")) != -1) {
		switch (opt) {
		case 'c': conns = atol(optarg); break;
		case 'n': per_conn = atol(optarg); break;
		case 'd': max_secs = atof(optarg); break;
		case 'i': image = optarg; break;
		case 'l': label = optarg; break;
		case 'H': hold_secs = atof(optarg); break;
		default: fprintf(stderr, "usage: berth-load [-c N] [-n N] [-d S] [-i IMAGE] [-l LABEL] [-H S] ADDR\n"); return 2;
		}
	}
	if (optind >= argc || conns <= 0) { fprintf(stderr, "berth-load: missing ADDR\n"); return 2; }
	const char *a = argv[optind];
	if (!strncmp(a, "unix:", 5)) a += 5;
	size_t alen = strlen(a);
	if (alen == 0 || alen >= sizeof addr.sun_path) { fprintf(stderr, "berth-load: bad address\n"); return 2; }
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, a, alen);
	if (a[0] == '@') addr.sun_path[0] = 0;
	addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen);

	snprintf(requests[0], sizeof requests[0], "{\"method\":\"io.berth.Portable.ListImages\",\"parameters\":{}}");
	snprintf(requests[1], sizeof requests[1], "{\"method\":\"io.berth.Portable.GetImage\",\"parameters\":{\"image\":\"%s\"}}", image);
	snprintf(requests[2], sizeof requests[2], "{\"method\":\"io.berth.Portable.GetImageState\",\"parameters\":{\"image\":\"%s\"}}", image);
	for (int i = 0; i < 3; i++) request_lengths[i] = strlen(requests[i]) + 1; // with the NUL terminator

	struct rlimit rl = {(rlim_t)conns + 64, (rlim_t)conns + 64};
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_max < (rlim_t)conns + 64) { fprintf(stderr, "berth-load: RLIMIT_NOFILE too low\n"); return 2; }
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	conn_t *cs = calloc((size_t)conns, sizeof *cs);
	uint64_t *latencies = calloc((size_t)(conns * per_conn + 1), sizeof *latencies);
	if (!cs || !latencies) { fprintf(stderr, "berth-load: out of memory\n"); return 2; }
	long connect_failures = 0, connected = 0;
	uint64_t t0 = now_ns();
	// Blocking connects: a full backlog makes connect() wait for the server instead of failing.
	for (long i = 0; i < conns; i++) {
		cs[i].fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (cs[i].fd < 0 || connect(cs[i].fd, (struct sockaddr *)&addr, addrlen) < 0) {
			if (cs[i].fd >= 0) close(cs[i].fd);
			cs[i].fd = -1;
			connect_failures++;
			continue;
		}
		cs[i].open = 1;
		connected++;
	}
	uint64_t t_connected = now_ns();
	long dropped = 0, errors = 0, ok = 0, nlat = 0;
	if (hold_secs > 0) {
		// Flood mode: only occupy slots. Count how many the server closed (refused) right away.
		struct pollfd *pfds = calloc((size_t)conns, sizeof *pfds);
		usleep(200000);
		for (long i = 0; i < conns; i++) { pfds[i].fd = cs[i].fd; pfds[i].events = POLLIN; }
		poll(pfds, (nfds_t)conns, 0);
		long refused = 0;
		for (long i = 0; i < conns; i++)
			if (cs[i].fd >= 0 && (pfds[i].revents & (POLLIN | POLLHUP))) refused++;
		printf("{\"label\":\"%s\",\"mode\":\"hold\",\"connections\":%ld,\"connected\":%ld,\"refusedByServer\":%ld,\"held\":%ld}\n",
		       label, conns, connected, refused, connected - refused);
		fflush(stdout);
		usleep((useconds_t)(hold_secs * 1e6));
		for (long i = 0; i < conns; i++) if (cs[i].fd >= 0) close(cs[i].fd);
		return 0;
	}
	int ep = epoll_create1(EPOLL_CLOEXEC);
	long active = 0;
	for (long i = 0; i < conns; i++) {
		if (!cs[i].open) continue;
		struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
		if (send_call(&cs[i]) < 0) { close(cs[i].fd); cs[i].open = 0; dropped++; continue; }
		active++;
	}
	uint64_t deadline = t0 + (uint64_t)(max_secs * 1e9);
	struct epoll_event events[256];
	while (active > 0 && now_ns() < deadline) {
		int n = epoll_wait(ep, events, 256, 100);
		for (int e = 0; e < n; e++) {
			conn_t *c = &cs[events[e].data.u64];
			ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
			if (r <= 0) {
				if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
				close(c->fd); c->open = 0; active--; dropped++;
				continue;
			}
			c->len += (size_t)r;
			char *end;
			while (c->open && (end = memchr(c->buf, 0, c->len))) {
				size_t mlen = (size_t)(end - c->buf);
				c->buf[mlen] = 0;
				if (strstr(c->buf, "\"error\"")) errors++; else ok++;
				latencies[nlat++] = now_ns() - c->sent_ns;
				memmove(c->buf, end + 1, c->len - mlen - 1);
				c->len -= mlen + 1;
				c->calls++;
				if (c->calls >= per_conn || now_ns() >= deadline) {
					close(c->fd); c->open = 0; active--;
				} else if (send_call(c) < 0) {
					close(c->fd); c->open = 0; active--; dropped++;
				}
			}
			if (c->open && c->len == sizeof c->buf) { close(c->fd); c->open = 0; active--; errors++; }
		}
	}
	long unfinished = 0;
	for (long i = 0; i < conns; i++) if (cs[i].open) { close(cs[i].fd); unfinished++; }
	uint64_t t1 = now_ns();
	qsort(latencies, (size_t)nlat, sizeof *latencies, cmp_u64);
	double secs = (double)(t1 - t0) / 1e9;
	printf("{\"label\":\"%s\",\"mode\":\"load\",\"connections\":%ld,\"connected\":%ld,\"connectFailures\":%ld,"
	       "\"connectSeconds\":%.3f,\"calls\":%ld,\"ok\":%ld,\"errors\":%ld,\"dropped\":%ld,\"unfinished\":%ld,"
	       "\"seconds\":%.3f,\"callsPerSecond\":%.0f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f}\n",
	       label, conns, connected, connect_failures, (double)(t_connected - t0) / 1e9, ok + errors, ok, errors,
	       dropped, unfinished, secs, (double)(ok + errors) / secs,
	       nlat ? latencies[nlat / 2] / 1e6 : 0.0, nlat ? latencies[nlat * 99 / 100] / 1e6 : 0.0,
	       nlat ? latencies[nlat - 1] / 1e6 : 0.0);
	return (errors || dropped || connect_failures) ? 1 : 0;
}
