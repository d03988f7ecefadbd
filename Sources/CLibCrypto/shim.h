#ifndef IPV8_CLIBCRYPTO_SHIM_H
#define IPV8_CLIBCRYPTO_SHIM_H
// SHA-1 (for `mid`) and py-ipv8's legacy EC keys (ECDSA with SHA-1 over binary curves): DER key parsing
// and writing, signing, verifying, generating. Only OpenSSL 3 APIs that are not deprecated, but for `ipv8_sha1`.
#include <openssl/sha.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/err.h>
#include <stddef.h>
#include <stdint.h>

// SHA-1 of `count` bytes into `digest` (20 bytes), with OpenSSL's own SHA-1 code called directly. Not through
// EVP: OpenSSL 3 loads its default provider and configuration on the first digest EVP fetches, about 2.4 MB
// resident (a C program hashing 3 bytes peaks at 5.3 MB through `SHA1()`, 3.1 MB through this, 2.9 MB hashing
// nothing), which a node with curve25519 keys otherwise never needs. The direct functions are deprecated in
// OpenSSL 3 but still built and maintained; only this wrapper calls them.
static inline void ipv8_sha1(const void *data, size_t count, uint8_t *digest) {
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    SHA_CTX context;
    SHA1_Init(&context);
    SHA1_Update(&context, data, count);
    SHA1_Final(digest, &context);
#pragma GCC diagnostic pop
#pragma clang diagnostic pop
}
#endif
