#ifndef SMART_IPAM_CMALLOC_SHIM_H
#define SMART_IPAM_CMALLOC_SHIM_H
// glibc's malloc tuning (mallopt(3)), which Swift's Glibc module does not bring in.
#include <malloc.h>

// At most `count` malloc arenas (M_ARENA_MAX). Returns 1 on success, 0 on error.
static inline int cmalloc_limit_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}
#endif
