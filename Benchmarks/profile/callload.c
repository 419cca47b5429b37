// callload: a fixed amount of Varlink load, for per-call cost measured by instruction and allocation
// counts (callgrind) rather than by wall clock, which is noise on a shared machine.
//   callload ADDR CONNS CALLS     CONNS connections, CALLS Pings on each, one in flight per connection
//   callload ADDR stream COUNT    one org.example.bench.Stream(count: COUNT) with more:true
//   callload ADDR getinfo COUNT   COUNT org.varlink.service.GetInfo calls on one connection (any service)
// Every reply is checked (its value; key order and spacing are the server's); exit status 1 on any mismatch. ADDR: unix:/path or /path.
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
	int fd;
	char buf[8192];
	size_t len;
	long sent, done;
} conn_t;

static struct sockaddr_un addr;

static int connect_to(void) {
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) { perror("connect"); exit(1); }
	return fd;
}

static void send_all(int fd, const char *p, size_t n) {
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) { perror("write"); exit(1); }
		p += w, n -= w;
	}
}

static void send_ping(conn_t *c, int id) {
	char req[128];
	int n = snprintf(req, sizeof req, "{\"method\":\"org.example.bench.Ping\",\"parameters\":{\"ping\":\"%d-%ld\"}}", id,
	                 c->sent);
	send_all(c->fd, req, n + 1);
	c->sent++;
}

// The next NUL-terminated message of c, reading as needed; NULL at end of input.
static char *next_message(conn_t *c, size_t *consumed) {
	for (;;) {
		char *end = memchr(c->buf, 0, c->len);
		if (end) { *consumed = end - c->buf + 1; return c->buf; }
		if (c->len == sizeof c->buf) { fprintf(stderr, "message too long\n"); exit(1); }
		ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) return NULL;
		c->len += r;
	}
}

static void drop(conn_t *c, size_t n) {
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

static int run_calls(int conns, long calls) {
	conn_t *cs = calloc(conns, sizeof *cs);
	int ep = epoll_create1(0);
	for (int i = 0; i < conns; i++) {
		cs[i].fd = connect_to();
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
		send_ping(&cs[i], i);
	}
	long remaining = (long)conns * calls;
	struct epoll_event evs[256];
	while (remaining > 0) {
		int n = epoll_wait(ep, evs, 256, 10000);
		if (n <= 0) { fprintf(stderr, "no reply for 10 s\n"); return 1; }
		for (int k = 0; k < n; k++) {
			int i = evs[k].data.u32;
			conn_t *c = &cs[i];
			ssize_t r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
			if (r <= 0) { fprintf(stderr, "connection %d closed\n", i); return 1; }
			c->len += r;
			char *end;
			while ((end = memchr(c->buf, 0, c->len))) {
				char want[64];
				snprintf(want, sizeof want, "\"pong\":\"%d-%ld\"}", i, c->sent - 1);
				if (!strstr(c->buf, want) || strstr(c->buf, "\"error\"")) { fprintf(stderr, "unexpected reply: %s\n", c->buf); return 1; }
				drop(c, end - c->buf + 1);
				c->done++, remaining--;
				if (c->sent < calls) send_ping(c, i);
			}
		}
	}
	for (int i = 0; i < conns; i++) close(cs[i].fd);
	return 0;
}

static int run_stream(long count) {
	conn_t *c = calloc(1, sizeof *c);
	c->fd = connect_to();
	char req[128];
	int n = snprintf(req, sizeof req, "{\"method\":\"org.example.bench.Stream\",\"parameters\":{\"count\":%ld},\"more\":true}",
	                 count);
	send_all(c->fd, req, n + 1);
	for (long i = 0; i < count; i++) {
		size_t used;
		char *m = next_message(c, &used);
		char want[64];
		snprintf(want, sizeof want, "\"index\":%ld}", i);
		int continues = m && strstr(m, "\"continues\":true") != NULL;
		if (!m || !strstr(m, want) || continues != (i + 1 < count)) { fprintf(stderr, "unexpected reply %ld: %s\n", i, m ? m : "(end)"); return 1; }
		drop(c, used);
	}
	close(c->fd);
	return 0;
}

static int run_getinfo(long count) {
	conn_t *c = calloc(1, sizeof *c);
	c->fd = connect_to();
	static const char req[] = "{\"method\":\"org.varlink.service.GetInfo\"}";
	for (long i = 0; i < count; i++) {
		send_all(c->fd, req, sizeof req);
		size_t used;
		char *m = next_message(c, &used);
		if (!m || !strstr(m, "\"interfaces\":[") || strstr(m, "\"error\"")) {
			fprintf(stderr, "unexpected GetInfo reply: %s\n", m ? m : "(end)");
			return 1;
		}
		drop(c, used);
	}
	close(c->fd);
	return 0;
}

int main(int argc, char **argv) {
	if (argc != 4) { fprintf(stderr, "usage: callload ADDR CONNS CALLS | callload ADDR stream|getinfo COUNT\n"); return 2; }
	const char *a = argv[1];
	if (!strncmp(a, "unix:", 5)) a += 5;
	if (strlen(a) >= sizeof addr.sun_path) { fprintf(stderr, "address too long\n"); return 2; }
	addr.sun_family = AF_UNIX;
	strcpy(addr.sun_path, a);
	if (!strcmp(argv[2], "stream")) return run_stream(atol(argv[3]));
	if (!strcmp(argv[2], "getinfo")) return run_getinfo(atol(argv[3]));
	return run_calls(atoi(argv[2]), atol(argv[3]));
}
