#ifndef SMART_IPAM_CPREFETCH_SHIM_H
#define SMART_IPAM_CPREFETCH_SHIM_H
// A hint that the cache line at `address` is about to be read and written (GCC and Clang's
// __builtin_prefetch, which Swift does not expose). A first read of a large lease file asks
// three tables of millions of slots once per record each, at addresses no cache holds; the
// writer asks for a record's slots a few records ahead, so that they arrive while it works.
static inline void cprefetch(const void *address) { __builtin_prefetch(address, 1, 3); }
#endif
