// CLinuxShims: loop helpers.
#include "CLinuxShims.h"
