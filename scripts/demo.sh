#!/usr/bin/env bash
# make demo: the whole product on one machine, nothing installed system-wide.
# - a local named on 127.0.0.1 (a high port) with a TSIG key, zones example.com and the reverse zones;
# - smart-ipamd on config/smart-ipam.yaml (the seed hierarchy), with a database, lease files and
#   the DNS section under .state/demo;
# - where the machine allows it (root, `ip netns`, dhcpd and dhclient installed): a real dhcpd in
#   a network namespace of its own and real dhclients in four more, joined by veth pairs on a
#   bridge, 192.0.2.0/24 (TEST-NET-1) inside the namespaces only; the daemon follows dhcpd's lease
#   file and imports its dhcpd.conf. Elsewhere (or with DEMO_DHCPD=off) the same clients' leases
#   are appended to the lease file the way dhcpd writes them. The clients: a dual-stack laptop
#   (its DHCPv6 lease is appended in both cases), a printer, a client sending "wpad", and a
#   second client claiming a name already owned; then what the IPAM and BIND show.
# Every process started here is stopped by its PID at the end and the namespaces are removed,
# also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$(realpath -m "${STATE:-.state}/demo")
bin=.build/debug
rm -rf "$state" && mkdir -p "$state"
pids=()
namespaces=()
cleanup() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; wait "${pids[i]}" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
say() { printf '\n== %s\n' "$*"; }
run() { echo "\$ $*"; "$@"; echo; }
cli() { echo "\$ smart-ipam $*"; "$bin/smart-ipam" "$@" --config "$state/smart-ipam.yaml"; local status=$?; echo; return $status; }
stamp() { date -u -d "@$1" '+%w %Y/%m/%d %H:%M:%S'; }

# The clients: MAC and the host-name each sends.
clients=("3c:22:fb:01:02:17 laptop-17" "00:1b:63:aa:00:01 Printer-NYC-2" "3c:22:fb:01:02:99 wpad" "3c:22:fb:01:02:66 laptop-17")
real=1 why=
if [[ ${DEMO_DHCPD:-auto} == off ]]; then real=0 why="DEMO_DHCPD=off"
elif [[ $(id -u) -ne 0 ]]; then real=0 why="not root: network namespaces need root"
elif ! command -v dhcpd >/dev/null || ! command -v dhclient >/dev/null; then real=0 why="dhcpd or dhclient is not installed (scripts/install-deps.sh installs them)"
elif ! ip netns add "sipam-probe-$$" 2>/dev/null; then real=0 why="ip netns does not work here"
else ip netns del "sipam-probe-$$"
fi

say "a local named on 127.0.0.1 with a TSIG key"
# shellcheck source=lib/named.sh
source scripts/lib/named.sh
port=$(free_port)
zones=(example.com 10.in-addr.arpa 2.0.192.in-addr.arpa 1.1.1.1.8.b.d.0.1.0.0.2.ip6.arpa)
start_named "$state" "$port" "${zones[@]}"
echo "named (PID ${pids[0]}) answers on 127.0.0.1#$port for ${zones[*]}"

say "smart-ipamd on config/smart-ipam.yaml, with its database, lease files and DNS under $state"
api_port=$(( port + 1 ))
header='authoring-byte-order little-endian;'
printf '%s\n\n' "$header" > "$state/dhcpd.leases"
printf '%s\n\n' "$header" > "$state/dhcpd6.leases"
sed -e "s|^database: .*|database: $state/ipam.sqlite|" \
    -e "s|path: /var/lib/dhcp/dhcpd.leases, |path: $state/dhcpd.leases, |" \
    -e "s|path: /var/lib/dhcp/dhcpd6.leases, |path: $state/dhcpd6.leases, |" \
    -e "s|^dhcpd_conf: .*|dhcpd_conf: $( ((real)) && echo "$state/dhcpd.conf" || echo null)|" \
    -e "s|^  listen: 127.0.0.1:8080|  listen: 127.0.0.1:$api_port|" config/smart-ipam.yaml > "$state/smart-ipam.yaml"
cat >> "$state/smart-ipam.yaml" <<YAML

dns:
  servers:
    - { name: local, address: 127.0.0.1, port: $port, tsig: { name: ipam-key, secret_file: $state/tsig.key } }
  zones:
    - { name: example.com, server: local }
    - { name: 10.in-addr.arpa, server: local }
    - { name: 2.0.192.in-addr.arpa, server: local }
    - { name: 1.1.1.1.8.b.d.0.1.0.0.2.ip6.arpa, server: local }
  remove_after: 0s
YAML
# dhcpd's configuration (the real one only): the daemon imports its subnet, range and domain.
((real)) && cat > "$state/dhcpd.conf" <<CONF
authoritative;
ddns-update-style none;
default-lease-time 3600;
max-lease-time 3600;
option domain-name "office.example.com";
subnet 192.0.2.0 netmask 255.255.255.0 {
  range 192.0.2.100 192.0.2.150;
}
CONF
"$bin/smart-ipamd" --config "$state/smart-ipam.yaml" 2> "$state/smart-ipamd.log" &
daemon=$!
pids+=("$daemon")
for _ in $(seq 1 100); do
  grep -q " ready" "$state/smart-ipamd.log" 2>/dev/null && break
  kill -0 "$daemon" 2>/dev/null || { cat "$state/smart-ipamd.log"; exit 1; }
  sleep 0.1
done
sed 's/^/  /' "$state/smart-ipamd.log"

now=$(date +%s)
addresses=()
if ((real)); then
  say "a real dhcpd in a network namespace, four dhclients in four more (192.0.2.0/24, inside the namespaces only)"
  tag=$$
  server=sipam-demo-s-$tag
  ip netns add "$server" && namespaces+=("$server")
  ip -n "$server" link set lo up
  ip -n "$server" link add br0 type bridge
  ip -n "$server" addr add 192.0.2.1/24 dev br0
  ip -n "$server" link set br0 up
  ip netns exec "$server" dhcpd -4 -f -cf "$state/dhcpd.conf" -lf "$state/dhcpd.leases" -pf "$state/dhcpd.pid" br0 > "$state/dhcpd.log" 2>&1 &
  pids+=($!)
  echo "  dhcpd (PID $!) on br0 192.0.2.1 in namespace $server, range 192.0.2.100-192.0.2.150, its lease file $state/dhcpd.leases"
  client() {  # client INDEX: a namespace on the bridge with the client's MAC, and its dhclient
    local i=$1 mac name ns=sipam-demo-c$1-$tag
    read -r mac name <<< "${clients[i]}"
    ip netns add "$ns" && namespaces+=("$ns")
    ip link add "sd$i-$tag" netns "$server" type veth peer name "cd$i-$tag" netns "$ns"
    ip -n "$server" link set "sd$i-$tag" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set "cd$i-$tag" address "$mac" up
    echo "send host-name \"$name\";" > "$state/dhclient$i.conf"
    ip netns exec "$ns" dhclient -1 -d -v -cf "$state/dhclient$i.conf" -sf /bin/true -lf "$state/dhclient$i.leases" \
      -pf "$state/dhclient$i.pid" "cd$i-$tag" > "$state/dhclient$i.log" 2>&1 &
    pids+=($!)
    echo "  dhclient (PID $!) in namespace $ns, MAC $mac, sends host-name \"$name\""
  }
  bound() {  # bound INDEX: waits for the client's lease (20 s at most) and says what it got
    local i=$1 mac name
    read -r mac name <<< "${clients[i]}"
    for _ in $(seq 1 200); do grep -q "fixed-address" "$state/dhclient$i.leases" 2>/dev/null && break; sleep 0.1; done
    addresses[i]=$(sed -n 's/^  fixed-address \(.*\);/\1/p' "$state/dhclient$i.leases" 2>/dev/null | tail -n 1)
    if [[ -n ${addresses[i]} ]]; then echo "  $name ($mac) got ${addresses[i]} from dhcpd"
    else echo "  $name ($mac) got no lease; its dhclient said:"; tail -n 5 "$state/dhclient$i.log" | sed 's/^/    /'; fi
  }
  for i in 0 1 2; do client "$i"; done
  for i in 0 1 2; do bound "$i"; done
  # The second laptop-17 comes last, so that the name is already owned when it asks.
  client 3
  bound 3
else
  say "dhcpd hands out leases (appended to the lease files as dhcpd writes them: $why)"
  lease() {  # lease ADDRESS MAC HOSTNAME
    printf 'lease %s {\n  starts %s;\n  ends %s;\n  cltt %s;\n  binding state active;\n  next binding state free;\n  rewind binding state free;\n  hardware ethernet %s;\n  client-hostname "%s";\n}\n' \
      "$1" "$(stamp "$now")" "$(stamp $((now + 3600)))" "$(stamp "$now")" "$2" "$3" >> "$state/dhcpd.leases"
    echo "  lease $1 to $2 ($3)"
  }
  lease 10.2.1.50 3c:22:fb:01:02:17 laptop-17
  lease 10.2.1.51 3c:22:fb:01:02:18 laptop-18
  lease 10.2.1.52 00:1b:63:aa:00:01 Printer-NYC-2
  lease 10.2.2.60 3c:22:fb:01:02:40 desk-lon-40
  lease 10.2.1.53 3c:22:fb:01:02:99 wpad
  lease 10.2.1.54 3c:22:fb:01:02:66 laptop-17
  addresses=(10.2.1.50 10.2.1.52 10.2.1.53 10.2.1.54)
fi
# The same laptop's DHCPv6 lease: its DUID-LL carries its MAC, so it shares the v4 name.
printf 'ia-na "\\001\\000\\000\\000\\000\\003\\000\\001<\\"\\373\\001\\002\\027" {\n  cltt %s;\n  iaaddr 2001:db8:1111::117 {\n    binding state active;\n    preferred-life 375;\n    max-life 600;\n    ends %s;\n  }\n}\n' \
  "$(stamp "$now")" "$(stamp $((now + 600)))" >> "$state/dhcpd6.leases"
echo "  lease 2001:db8:1111::117 to the same laptop (DUID-LL 3c:22:fb:01:02:17)"
for _ in $(seq 1 50); do
  dig @127.0.0.1 -p "$port" +short AAAA laptop-17.lab.example.com | grep -q 2001 &&
    { [[ -z ${addresses[0]} ]] || dig @127.0.0.1 -p "$port" +short A laptop-17.office.example.com | grep -qx "${addresses[0]}"; } && break
  sleep 0.1
done

say "the inventory"
cli subnet tree
cli leases
say "what BIND answers"
ptr() { local IFS=.; local -a o; read -ra o <<< "$1"; echo "${o[3]}.${o[2]}.${o[1]}.${o[0]}.in-addr.arpa"; }
[[ -n ${addresses[0]} ]] && run dig @127.0.0.1 -p "$port" +short A laptop-17.office.example.com
run dig @127.0.0.1 -p "$port" +short AAAA laptop-17.lab.example.com
[[ -n ${addresses[0]} ]] && run dig @127.0.0.1 -p "$port" +short PTR "$(ptr "${addresses[0]}")"
[[ -n ${addresses[1]} ]] && run dig @127.0.0.1 -p "$port" +short A printer-nyc-2.office.example.com
[[ -n ${addresses[1]} ]] && run dig @127.0.0.1 -p "$port" +short PTR "$(ptr "${addresses[1]}")"
echo "(no name for the client that sent \"wpad\"; the second \"laptop-17\" is refused: the name is owned)"
run dig @127.0.0.1 -p "$port" +short A wpad.office.example.com
cli dns status
cli dns diff
cli conflicts

say "the REST API: an operator key, then the seed's calls with curl"
token=$("$bin/smart-ipam" token create demo --role operator --expires 1d --config "$state/smart-ipam.yaml" 2>/dev/null)
api="http://127.0.0.1:$api_port"
echo "\$ TOKEN=\$(smart-ipam token create demo --role operator --expires 1d)"
echo "\$ curl -X POST $api/api/v1/allocate -H \"Authorization: Bearer \$TOKEN\" -d '{\"subnet\": \"10.1.1.0/24\", \"hostname\": \"web-server-01\", …}'"
curl -s -X POST "$api/api/v1/allocate" -H "Authorization: Bearer $token" \
  -d '{"subnet": "10.1.1.0/24", "hostname": "web-server-01", "device_type": "server", "owner": "IT Department"}' | jq -c .
id=$(curl -s "$api/api/v1/subnets?network=10.1.1.0/24" -H "Authorization: Bearer $token" | jq .subnets[0].id)
echo "\$ curl $api/api/v1/subnets/$id/usage -H \"Authorization: Bearer \$TOKEN\"   (10.1.1.0/24)"
curl -s "$api/api/v1/subnets/$id/usage" -H "Authorization: Bearer $token" | jq -c .utilization
echo "\$ curl -X POST $api/fixed_ips … (the Neutron sample: a dhcp port, then a SLAAC port)"
curl -s -X POST "$api/fixed_ips" -H "Authorization: Bearer $token" -d '{"fixed_ip": {"subnet_id": "11111111-1111-1111-1111-111111111111",
  "allocation_pools": [{"start": "192.168.100.2", "end": "192.168.100.254"}], "cidr": "192.168.100.0/24", "gateway_ip": "192.168.100.1",
  "mac_address": null, "device_owner": "dhcp", "ip_address": null}}' | jq -c .
curl -s -X POST "$api/fixed_ips" -H "Authorization: Bearer $token" -d '{"fixed_ip": {"subnet_id": "33333333-3333-3333-3333-333333333333",
  "allocation_pools": [], "cidr": "2001:db8:1111::/64", "gateway_ip": null, "mac_address": "fa:16:3e:ef:03:01", "device_owner": null}}' | jq -c .
echo "\$ curl $api/api/v1/subnets   (no token)"
curl -s "$api/api/v1/subnets" | jq -c .
echo

say "the same CLI, through the API (smart-ipam --api URL, token in SMART_IPAM_TOKEN)"
echo "\$ smart-ipam allocate 10.1.2.0/24 --hostname dev-01 --api $api"
SMART_IPAM_TOKEN=$token "$bin/smart-ipam" allocate 10.1.2.0/24 --hostname dev-01 --device-type vm --api "$api"
echo

say "allocations through the CLI, on the database file"
cli allocate 10.1.1.0/24 --hostname web-01 --device-type server --owner "Platform team"
cli subnet add 192.168.100.0/24 --name "Neutron sample" --gateway 192.168.100.1 --pool 192.168.100.2-192.168.100.254
cli allocate 192.168.100.0/24 --strategy first-of-pool --device-type dhcp
cli allocate 192.168.100.0/24 --address 192.168.100.101
cli allocate 192.168.100.0/24 --address 192.168.100.101 || echo "(refused with exit status $?: the address is taken)"
echo
cli allocate 2001:db8:1111::/64 --strategy eui-64 --mac fa:16:3e:ef:03:01
say "utilization and the audit log"
cli usage
cli audit --limit 6

kill -TERM "$daemon" && wait "$daemon"
say "smart-ipamd stopped on SIGTERM (exit $?)"
tail -n 2 "$state/smart-ipamd.log" | sed 's/^/  /'
