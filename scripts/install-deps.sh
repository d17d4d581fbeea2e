#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need, when they are missing.
# One `apt-get update` first; services the packages would start (named, dhcpd) are kept from
# starting during the install: the tests start their own, on loopback and in namespaces.
set -euo pipefail

packages=(
  libldns-dev ldnsutils libsqlite3-dev libsystemd-dev   # build: libldns, SQLite, libsystemd
  bind9 bind9-dnsutils                                   # named, dig, nsupdate, tsig-keygen
  isc-dhcp-server isc-dhcp-client dhcpd-pools            # dhcpd, dhclient, the utilization oracle
  iproute2 time jq                                       # namespaces, /usr/bin/time -v, JSON in scripts
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "error: these Debian packages are missing and this is not root: ${missing[*]}" >&2
    echo "       run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
policy=/usr/sbin/policy-rc.d
made_policy=
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  made_policy=1
fi
# An if, not `&&`: a false test as the trap's last command would become the exit status.
cleanup() { if [[ -n $made_policy ]]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
