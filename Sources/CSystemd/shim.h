#pragma once
// Same feature macro as CLinuxShims: both modules pull in <sys/select.h>, and Clang refuses two
// definitions of fd_set that differ (fds_bits vs __fds_bits) in one Swift module.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-bus.h>
