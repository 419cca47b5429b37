// C helpers Swift cannot express directly: macros, inline structs and raw syscalls.
// Only the SystemCalls module imports this. One header per area, each owned by one area of code.
#pragma once
#include "CLinuxShims_socket.h"
#include "CLinuxShims_fs.h"
#include "CLinuxShims_loop.h"
