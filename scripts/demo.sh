#!/usr/bin/env bash
# make demo: the daemon on the example configuration with a database under a local state
# folder, then the CLI against it: the seed hierarchy, a few allocations, utilization.
set -euo pipefail
cd "$(dirname "$0")/.."
state=${STATE:-.state}/demo
bin=.build/debug
rm -rf "$state" && mkdir -p "$state"
db="$state/ipam.sqlite"
cli() {
  echo "\$ smart-ipam $*"
  "$bin/smart-ipam" "$@" --config config/smart-ipam.yaml --database "$db"
  local status=$?
  echo
  return $status
}

echo "== smart-ipamd starts on config/smart-ipam.yaml, database $db"
"$bin/smart-ipamd" --config config/smart-ipam.yaml --database "$db" 2>"$state/smart-ipamd.log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q " ready" "$state/smart-ipamd.log" 2>/dev/null && break
  kill -0 $daemon 2>/dev/null || { cat "$state/smart-ipamd.log"; exit 1; }
  sleep 0.1
done
sed 's/^/  /' "$state/smart-ipamd.log"
echo

echo "== the seed hierarchy, imported from the configuration"
cli subnet tree
echo "== allocations"
cli allocate 10.1.1.0/24 --hostname web-01 --device-type server --owner "Platform team"
cli allocate 10.1.1.0/24 --count 3 --hostname app --device-type vm
cli allocate 10.2.1.0/24 --hostname laptop-17 --mac 3c:22:fb:01:02:03
cli subnet add 192.168.100.0/24 --name "Neutron sample" --gateway 192.168.100.1 --pool 192.168.100.2-192.168.100.254
cli allocate 192.168.100.0/24 --strategy first-of-pool --device-type dhcp
cli allocate 192.168.100.0/24 --address 192.168.100.101
cli allocate 192.168.100.0/24 --address 192.168.100.101 || echo "(refused with exit status $?: the address is taken)"
cli allocate 2001:db8:1111::/64 --strategy eui-64 --mac fa:16:3e:ef:03:01
echo "== utilization"
cli usage
cli subnet show 10.1.1.0/24
echo "== the audit log"
cli audit --limit 8

kill -TERM $daemon && wait $daemon
trap - EXIT
echo "== smart-ipamd stopped on SIGTERM (exit $?)"
tail -n 2 "$state/smart-ipamd.log" | sed 's/^/  /'
