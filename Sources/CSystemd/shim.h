#ifndef SMART_IPAM_CSYSTEMD_SHIM_H
#define SMART_IPAM_CSYSTEMD_SHIM_H
// libsystemd, as Debian's libsystemd-dev installs it. Only the Systemd target imports this module.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

// sd_notify's state argument is a plain C string; this wrapper keeps the call non-variadic.
static inline int csystemd_notify(int unset_environment, const char *state) {
    return sd_notify(unset_environment, state);
}
#endif
