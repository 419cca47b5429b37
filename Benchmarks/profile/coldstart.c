// coldstart: a server's start, exec to its first reply, and its peak RSS under CONNS connections.
//   coldstart RUNS CONNS COMMAND… [:: COMMAND…]…
// Each COMMAND is started RUNS times, the commands interleaved (A B A B …) so that a loaded machine
// weighs on all of them alike. A command is started as systemd starts a socket-activated service:
// its listening AF_UNIX socket is fd 3, with LISTEN_FDS=1, LISTEN_PID and LISTEN_FDNAMES set. A
// command with {address} in an argument is not socket-activated: {address} becomes unix:PATH and the
// server binds PATH itself (the first reply then includes the bind; connects are retried every 20 µs).
// Per start: wall time from exec to the first org.varlink.service.GetInfo reply; the CPU time of the
// server's main thread (kernel included: page faults, exec), its user-space instructions and page faults
// up to that reply (perf counters enabled at its exec; a thread of its own is not counted);
// VmHWM then; then CONNS connections × 20 GetInfo calls each, one in flight per connection, and VmHWM,
// RssFile and RssAnon after them. Prints one line per command: the medians (and the wall time's min).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { WALL, CPU, INSTRUCTIONS, FAULTS, HWM_FIRST, HWM_PEAK, RSS_FILE, RSS_ANON, FIGURES };
static const char request[] = "{\"method\":\"org.varlink.service.GetInfo\"}";
static struct sockaddr_un address;

static void fail(const char *what) { perror(what); exit(1); }

static double now_us(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int counter(pid_t pid, uint32_t type, uint64_t config, int exclude_kernel) {
	struct perf_event_attr attr = {.size = sizeof attr, .type = type, .config = config};
	attr.disabled = 1, attr.enable_on_exec = 1, attr.exclude_kernel = exclude_kernel, attr.exclude_hv = 1;
	int fd = syscall(SYS_perf_event_open, &attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 && type == PERF_TYPE_SOFTWARE) fail("perf_event_open");
	return fd;  // -1: no hardware counter (a VM without a PMU); the instructions are then callgrind's to count
}

static double counter_value(int fd) {
	uint64_t value = 0;
	if (fd < 0) return -1;
	if (read(fd, &value, sizeof value) != sizeof value) fail("read counter");
	return (double)value;
}

// One GetInfo on fd, its reply read up to the NUL; exits on anything but a reply with interfaces.
static void get_info(int fd) {
	char buffer[16384];
	size_t length = 0;
	for (size_t sent = 0; sent < sizeof request;) {
		ssize_t n = write(fd, request + sent, sizeof request - sent);
		if (n <= 0) fail("write");
		sent += n;
	}
	while (!memchr(buffer, 0, length)) {
		if (length == sizeof buffer) { fprintf(stderr, "coldstart: reply too long\n"); exit(1); }
		ssize_t n = read(fd, buffer + length, sizeof buffer - length);
		if (n <= 0) { fprintf(stderr, "coldstart: no reply (%s)\n", n ? strerror(errno) : "end of input"); exit(1); }
		length += n;
	}
	if (!strstr(buffer, "\"interfaces\":[")) { fprintf(stderr, "coldstart: unexpected reply %s\n", buffer); exit(1); }
}

// Connects to the server; with retry, until the server (pid) has bound its socket, or has died.
static int connect_socket(pid_t retry) {
	for (;;) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) fail("socket");
		if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0) return fd;
		if (!retry || (errno != ENOENT && errno != ECONNREFUSED)) fail("connect");
		close(fd);
		if (waitpid(retry, NULL, WNOHANG) == retry) { fprintf(stderr, "coldstart: the server exited\n"); exit(1); }
		usleep(20);
	}
}

static double status_mib(pid_t pid, const char *key) {
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *file = fopen(path, "r");
	if (!file) fail(path);
	double kib = -1;
	while (fgets(line, sizeof line, file))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':') kib = atof(line + strlen(key) + 1);
	fclose(file);
	return kib / 1024;
}

// Starts argv once and measures it; figures[] receives one value per FIGURES entry.
static void measure(char **argv, const char *path, int conns, double *figures) {
	int activated = 1, listener = -1, gate[2];
	char **args = calloc(64, sizeof *args);
	for (int i = 0; argv[i] && i < 63; i++) {
		char *at = strstr(argv[i], "{address}");
		args[i] = argv[i];
		if (!at) continue;
		if (asprintf(&args[i], "%.*sunix:%s%s", (int)(at - argv[i]), argv[i], path, at + strlen("{address}")) < 0)
			fail("asprintf");
		activated = 0;
	}
	unlink(path);
	if (activated) {
		listener = socket(AF_UNIX, SOCK_STREAM, 0);
		if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 128) < 0)
			fail("listening socket");
	}
	if (pipe2(gate, O_CLOEXEC) < 0) fail("pipe");
	pid_t pid = fork();
	if (pid < 0) fail("fork");
	if (pid == 0) {
		char byte, value[32];
		if (activated) {
			if (listener != 3 && dup2(listener, 3) < 0) fail("dup2");
			snprintf(value, sizeof value, "%d", getpid());
			setenv("LISTEN_FDS", "1", 1), setenv("LISTEN_PID", value, 1), setenv("LISTEN_FDNAMES", "varlink", 1);
		}
		close(gate[1]);
		if (read(gate[0], &byte, 1) != 1) _exit(127);  // the parent's counters are attached
		execvp(args[0], args);
		_exit(127);
	}
	if (listener >= 0) close(listener);
	int instructions = counter(pid, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, 1);
	int faults = counter(pid, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, 0);
	int cpu = counter(pid, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, 0);
	double start = now_us();
	if (write(gate[1], "x", 1) != 1) fail("gate");
	int fd = connect_socket(activated ? 0 : pid);
	get_info(fd);
	figures[WALL] = now_us() - start;
	figures[INSTRUCTIONS] = counter_value(instructions);
	figures[FAULTS] = counter_value(faults);
	figures[CPU] = counter_value(cpu) / 1000;  // ns → µs
	figures[HWM_FIRST] = status_mib(pid, "VmHWM");
	close(fd);
	int *clients = calloc(conns, sizeof *clients);
	for (int i = 0; i < conns; i++) clients[i] = connect_socket(0);
	for (int round = 0; round < 20; round++)
		for (int i = 0; i < conns; i++) get_info(clients[i]);
	figures[HWM_PEAK] = status_mib(pid, "VmHWM");
	figures[RSS_FILE] = status_mib(pid, "RssFile");
	figures[RSS_ANON] = status_mib(pid, "RssAnon");
	for (int i = 0; i < conns; i++) close(clients[i]);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	if (instructions >= 0) close(instructions);
	close(faults), close(cpu), close(gate[0]), close(gate[1]);
	for (int i = 0; argv[i] && i < 63; i++)
		if (args[i] != argv[i]) free(args[i]);
	free(clients), free(args);
	unlink(path);
}

static int by_value(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *values, int count) {
	qsort(values, count, sizeof *values, by_value);
	return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

int main(int argc, char **argv) {
	if (argc < 4) { fprintf(stderr, "usage: coldstart RUNS CONNS COMMAND… [:: COMMAND…]…\n"); return 2; }
	int runs = atoi(argv[1]), conns = atoi(argv[2]), commands = 0;
	char **command[16];
	command[commands++] = argv + 3;
	for (int i = 3; i < argc; i++)
		if (!strcmp(argv[i], "::")) {
			argv[i] = NULL;
			if (commands == 16) { fprintf(stderr, "coldstart: at most 16 commands\n"); return 2; }
			command[commands++] = argv + i + 1;
		}
	char directory[] = "/tmp/coldstart.XXXXXX", path[sizeof address.sun_path];
	if (!mkdtemp(directory)) fail("mkdtemp");
	snprintf(path, sizeof path, "%s/server.sock", directory);
	address.sun_family = AF_UNIX;
	strcpy(address.sun_path, path);
	signal(SIGPIPE, SIG_IGN);
	double *figures = calloc((size_t)commands * runs * FIGURES, sizeof *figures);
	for (int run = 0; run < runs; run++)
		for (int c = 0; c < commands; c++) measure(command[c], path, conns, figures + ((size_t)c * runs + run) * FIGURES);
	rmdir(directory);
	for (int c = 0; c < commands; c++) {
		double column[FIGURES][runs];
		for (int run = 0; run < runs; run++)
			for (int f = 0; f < FIGURES; f++) column[f][run] = figures[((size_t)c * runs + run) * FIGURES + f];
		double wall = median(column[WALL], runs), fastest = column[WALL][0], ir = median(column[INSTRUCTIONS], runs);
		char instructions[64] = "instructions not counted (no PMU)";
		if (ir >= 0) snprintf(instructions, sizeof instructions, "%.0f instructions", ir);
		printf("%s: exec to first reply %.2f ms (min %.2f), main thread's CPU %.2f ms, %s, %.0f page faults, "
		       "VmHWM %.1f MiB; after %d connections: VmHWM %.1f MiB (RssFile %.1f, RssAnon %.1f)\n",
		       command[c][0], wall / 1000, fastest / 1000, median(column[CPU], runs) / 1000, instructions,
		       median(column[FAULTS], runs), median(column[HWM_FIRST], runs), conns, median(column[HWM_PEAK], runs),
		       median(column[RSS_FILE], runs), median(column[RSS_ANON], runs));
	}
	return 0;
}
