#pragma once
#include <libcryptsetup.h>
