#ifndef SMART_IPAM_CLDNS_SHIM_H
#define SMART_IPAM_CLDNS_SHIM_H
// libldns, as Debian's libldns-dev installs it. Only the DynamicDNS target imports this module.
#include <ldns/ldns.h>

// LDNS_VERSION is a string macro; a function keeps it reachable from Swift.
static inline const char *cldns_header_version(void) { return LDNS_VERSION; }
#endif
