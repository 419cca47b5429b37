#pragma once
// Types and constants only: the Signature module loads libcrypto's functions with dlopen
// (CryptoLibrary.swift), so nothing links libcrypto and processes that never check a dm-verity
// signature never map it.
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
