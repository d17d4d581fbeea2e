#ifndef SMART_IPAM_CLDNS_SHIM_H
#define SMART_IPAM_CLDNS_SHIM_H
// libldns, as Debian's libldns-dev installs it. Only the DynamicDNS target imports this module.
#include <ldns/ldns.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

// LDNS_VERSION is a string macro; a function keeps it reachable from Swift.
static inline const char *cldns_header_version(void) { return LDNS_VERSION; }

// HMAC through the libcrypto that libldns links, for the TSIG algorithms libldns 1.8.3 cannot
// compute itself (its digest table misspells hmac-sha384 and lacks hmac-sha224).
// digest_bits: 1 = SHA-1, 5 = MD5, 224, 256, 384, 512. Returns 1 on success.
static inline int cldns_hmac(int digest_bits, const unsigned char *key, int key_len,
                             const unsigned char *data, size_t data_len,
                             unsigned char *out, unsigned int *out_len) {
    const EVP_MD *md = NULL;
    switch (digest_bits) {
    case 1: md = EVP_sha1(); break;
    case 5: md = EVP_md5(); break;
    case 224: md = EVP_sha224(); break;
    case 256: md = EVP_sha256(); break;
    case 384: md = EVP_sha384(); break;
    case 512: md = EVP_sha512(); break;
    default: return 0;
    }
    return HMAC(md, key, key_len, data, data_len, out, out_len) != NULL;
}
#endif
