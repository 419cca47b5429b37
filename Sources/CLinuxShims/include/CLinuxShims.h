// C helpers Swift cannot express directly: macros, inline structs and raw syscalls.
// Only the SystemCalls module imports this. One header per area. The headers include only freestanding
// and linux/ headers and never define _GNU_SOURCE: libc headers seen under other feature macros would give
// types such as fd_set a second definition next to Swift's Glibc module. The .c files define it.
#pragma once
#include "CLinuxShims_socket.h"
#include "CLinuxShims_fs.h"
#include "CLinuxShims_loop.h"
#include "CLinuxShims_btrfs.h"
