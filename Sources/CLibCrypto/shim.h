#ifndef IPV8_CLIBCRYPTO_SHIM_H
#define IPV8_CLIBCRYPTO_SHIM_H
// Only SHA-1 (for `mid`) is used today. Legacy EC (sect163k1 ECDSA-SHA1) verification would add
// <openssl/evp.h> / <openssl/ec.h> here.
#include <openssl/sha.h>
#endif
