#include "chttp.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The libcurl functions used, looked up once. curl_easy_setopt is variadic: it is called
// through typed pointers, one per argument kind (the C calling convention passes a long, a
// pointer or a function pointer alike to a variadic callee on the platforms Debian ships).
static struct {
    void *library;
    char failure[200];
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*setopt_long)(CURL *, CURLoption, long);
    CURLcode (*setopt_pointer)(CURL *, CURLoption, const void *);
    CURLcode (*setopt_writer)(CURL *, CURLoption, size_t (*)(char *, size_t, size_t, void *));
    CURLcode (*setopt_offset)(CURL *, CURLoption, curl_off_t);
    CURLcode (*perform)(CURL *);
    CURLcode (*getinfo_long)(CURL *, CURLINFO, long *);
    void (*cleanup)(CURL *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    const char *(*strerror)(CURLcode);
} curl;

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
    curl.library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (curl.library == NULL) {
        snprintf(curl.failure, sizeof curl.failure, "libcurl is not installed (%s); install Debian's libcurl4", dlerror());
        return;
    }
#define FIND(field, name)                                                                   \
    do {                                                                                    \
        *(void **)(&curl.field) = dlsym(curl.library, name);                               \
        if (curl.field == NULL) {                                                           \
            snprintf(curl.failure, sizeof curl.failure, "libcurl.so.4 has no %s", name);    \
            curl.library = NULL;                                                            \
            return;                                                                         \
        }                                                                                   \
    } while (0)
    FIND(global_init, "curl_global_init");
    FIND(easy_init, "curl_easy_init");
    FIND(setopt_long, "curl_easy_setopt");
    FIND(setopt_pointer, "curl_easy_setopt");
    FIND(setopt_writer, "curl_easy_setopt");
    FIND(setopt_offset, "curl_easy_setopt");
    FIND(perform, "curl_easy_perform");
    FIND(getinfo_long, "curl_easy_getinfo");
    FIND(cleanup, "curl_easy_cleanup");
    FIND(slist_append, "curl_slist_append");
    FIND(slist_free_all, "curl_slist_free_all");
    FIND(strerror, "curl_easy_strerror");
#undef FIND
    curl.global_init(CURL_GLOBAL_DEFAULT);
}

static size_t collect(char *data, size_t size, size_t count, void *context) {
    chttp_response *response = context;
    size_t n = size * count;
    unsigned char *grown = realloc(response->body, response->body_length + n + 1);
    if (grown == NULL) return 0;  // libcurl stops with CURLE_WRITE_ERROR
    memcpy(grown + response->body_length, data, n);
    response->body = grown;
    response->body_length += n;
    return n;
}

int chttp_request(const char *method, const char *url, const char *authorization, const char *content_type,
                  const void *body, size_t body_length, long timeout_seconds, chttp_response *response) {
    memset(response, 0, sizeof *response);
    pthread_once(&loaded, load);
    if (curl.library == NULL) {
        snprintf(response->error, sizeof response->error, "%s", curl.failure);
        return 2;
    }
    CURL *handle = curl.easy_init();
    if (handle == NULL) {
        snprintf(response->error, sizeof response->error, "libcurl could not start a request");
        return 1;
    }
    struct curl_slist *headers = NULL;
    char line[8192];
    if (authorization != NULL) {
        snprintf(line, sizeof line, "Authorization: %s", authorization);
        headers = curl.slist_append(headers, line);
    }
    if (content_type != NULL) {
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        headers = curl.slist_append(headers, line);
    }
    headers = curl.slist_append(headers, "Accept: application/json");
    headers = curl.slist_append(headers, "Expect:");  // no 100-continue round trip for a body
    char errors[CURL_ERROR_SIZE] = {0};
    curl.setopt_pointer(handle, CURLOPT_URL, url);
    curl.setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, method);
    curl.setopt_pointer(handle, CURLOPT_HTTPHEADER, headers);
    curl.setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors);
    curl.setopt_long(handle, CURLOPT_TIMEOUT, timeout_seconds);
    curl.setopt_long(handle, CURLOPT_NOSIGNAL, 1L);
    curl.setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl.setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl.setopt_writer(handle, CURLOPT_WRITEFUNCTION, collect);
    curl.setopt_pointer(handle, CURLOPT_WRITEDATA, response);
    if (body != NULL) {
        curl.setopt_pointer(handle, CURLOPT_POSTFIELDS, body);
        curl.setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    }
    CURLcode code = curl.perform(handle);
    int result = 0;
    if (code == CURLE_OK) {
        curl.getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response->status);
    } else {
        snprintf(response->error, sizeof response->error, "%s", errors[0] != 0 ? errors : curl.strerror(code));
        result = 1;
    }
    curl.slist_free_all(headers);
    curl.cleanup(handle);
    return result;
}

void chttp_response_free(chttp_response *response) {
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
}
