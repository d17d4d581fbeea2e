#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need, when they are missing.
# One `apt-get update` first; services the packages would start (named, dhcpd) are kept from
# starting during the install: the tests start their own, on loopback and in namespaces.
set -euo pipefail

packages=(
  libldns-dev ldnsutils libsqlite3-dev libsystemd-dev   # build: libldns, SQLite, libsystemd
  bind9 bind9-dnsutils                                   # named, dig, nsupdate, tsig-keygen
  isc-dhcp-server isc-dhcp-client dhcpd-pools            # dhcpd, dhclient, the utilization oracle
  iproute2 time jq curl wrk                              # namespaces, /usr/bin/time -v, JSON in scripts, HTTP load
  libcurl4-openssl-dev                                   # curl/curl.h for CHTTP (smart-ipam --api loads libcurl itself)
)
# Python tools from PyPI: schemathesis (the API's property tests in make test); the OpenAPI
# checks use jsonschema and openapi-spec-validator, which schemathesis brings.
install_python_tools() {
  local need=()
  command -v schemathesis >/dev/null || need+=(schemathesis)
  python3 -c 'import openapi_spec_validator' 2>/dev/null || need+=(openapi-spec-validator)
  ((${#need[@]} == 0)) && return 0
  echo "installing from PyPI: ${need[*]}"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${need[@]}"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  install_python_tools
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
install_python_tools
