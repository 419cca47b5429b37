#pragma once
// Types and constants only: the Cryptsetup module loads the functions with dlopen (CryptLibrary.swift),
// so nothing links libcryptsetup and processes that never open a raw image never map it.
#include <libcryptsetup.h>
