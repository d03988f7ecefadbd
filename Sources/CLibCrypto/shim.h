#ifndef IPV8_CLIBCRYPTO_SHIM_H
#define IPV8_CLIBCRYPTO_SHIM_H
// SHA-1 (for `mid`) and py-ipv8's legacy EC keys (ECDSA with SHA-1 over binary curves): DER key parsing
// and writing, signing, verifying, generating. Only OpenSSL 3 APIs that are not deprecated.
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/err.h>
#endif
