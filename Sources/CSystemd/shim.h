#pragma once
// Types and constants only: the Systemd module loads the functions with dlopen (SystemdLibrary.swift),
// so nothing links libsystemd and a process that never needs it never maps it.
// No feature macros here: the headers must be parsed exactly as Swift's Glibc module parses
// them, or Clang rejects the two differing definitions of shared types such as fd_set.
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <systemd/sd-bus.h>
