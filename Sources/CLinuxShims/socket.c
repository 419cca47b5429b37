// CLinuxShims: socket helpers.
#include "CLinuxShims.h"
