// CLinuxShims: socket helpers.
#pragma once
#define _GNU_SOURCE 1
