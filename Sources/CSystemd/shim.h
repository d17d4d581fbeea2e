#ifndef SMART_IPAM_CSYSTEMD_SHIM_H
#define SMART_IPAM_CSYSTEMD_SHIM_H
// libsystemd, as Debian's libsystemd-dev installs it. Only the Systemd target imports this module.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

// sd_notify's state argument is a plain C string; this wrapper keeps the call non-variadic.
static inline int csystemd_notify(int unset_environment, const char *state) {
    return sd_notify(unset_environment, state);
}

// One journal entry (sd_journal_sendv(3)): `count` fields of the form NAME=value, laid end to
// end in `bytes`, field i being `lengths[i]` bytes long. The iovec array is built here so that
// Swift never holds pointers into its own arrays beyond the call. Returns 0 or a negative errno
// (-ECONNREFUSED when journald is gone; libsystemd returns 0 when its socket file is missing).
static inline int csystemd_journal_send_fields(const uint8_t *bytes, const size_t *lengths, int count) {
    if (count <= 0 || bytes == NULL || lengths == NULL) return -EINVAL;
    struct iovec small[32];
    struct iovec *iov = count <= 32 ? small : calloc((size_t)count, sizeof(struct iovec));
    if (iov == NULL) return -ENOMEM;
    size_t offset = 0;
    for (int i = 0; i < count; i++) {
        iov[i].iov_base = (void *)(bytes + offset);
        iov[i].iov_len = lengths[i];
        offset += lengths[i];
    }
    int result = sd_journal_sendv(iov, count);
    if (iov != small) free(iov);
    return result;
}
#endif
