#ifndef SMART_IPAM_CHTTP_H
#define SMART_IPAM_CHTTP_H
// One HTTP request through libcurl, loaded with dlopen(3) on first use: the admin CLI asks a
// daemon's API (`smart-ipam --api URL`, http or https) without every other command paying for
// libcurl and the thirty libraries it pulls in at start-up (FoundationNetworking did, ~17 ms
// per run). Only the smart-ipam executable's APIClient uses this module.
#include <stddef.h>

typedef struct {
    long status;            // the HTTP status; 0 when there was no answer
    unsigned char *body;    // malloc'ed, body_length bytes (NULL when empty)
    size_t body_length;
    char error[256];        // what went wrong, when the result is not 0
} chttp_response;

// Sends `method` to `url` with the optional headers and body, waits at most `timeout_seconds`.
// Returns 0 when the server answered (any status), 1 when the request failed (no answer:
// refused, timed out, TLS …), 2 when libcurl cannot be loaded. `error` says why.
int chttp_request(const char *method, const char *url, const char *authorization, const char *content_type,
                  const void *body, size_t body_length, long timeout_seconds, chttp_response *response);

void chttp_response_free(chttp_response *response);

#endif
