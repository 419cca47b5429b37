// CLinuxShims: fs helpers.
#include "CLinuxShims.h"
