#!/usr/bin/env bash
# make demo: the whole product on one machine, nothing installed system-wide.
# - a local named on 127.0.0.1 (a high port) with a TSIG key, zones example.com and the reverse zones;
# - smart-ipamd on config/smart-ipam.yaml (the seed hierarchy), with a database, lease files and
#   the DNS section under .state/demo;
# - leases appended the way dhcpd writes them (a dual-stack laptop, a printer, a client sending
#   "wpad", a second client claiming a name already owned), then what the IPAM and BIND show.
# Every process started here is stopped by its PID at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$(realpath -m "${STATE:-.state}/demo")
bin=.build/debug
rm -rf "$state" && mkdir -p "$state"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
run() { echo "\$ $*"; "$@"; echo; }
cli() { echo "\$ smart-ipam $*"; "$bin/smart-ipam" "$@" --config "$state/smart-ipam.yaml"; local status=$?; echo; return $status; }
stamp() { date -u -d "@$1" '+%w %Y/%m/%d %H:%M:%S'; }

say "a local named on 127.0.0.1 with a TSIG key"
port=$(( (RANDOM % 20000) + 30000 ))
tsig-keygen -a hmac-sha256 ipam-key > "$state/tsig.key" && chmod 600 "$state/tsig.key"
zones=(example.com 10.in-addr.arpa 1.1.1.1.8.b.d.0.1.0.0.2.ip6.arpa)
conf="include \"$state/tsig.key\";
options { directory \"$state\"; pid-file \"$state/named.pid\"; listen-on port $port { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; dnssec-validation no; notify no; allow-transfer { key ipam-key; }; };
controls { };"
for z in "${zones[@]}"; do
  printf '$TTL 300\n@ IN SOA ns1.example.com. hostmaster.example.com. 1 3600 600 86400 300\n@ IN NS ns1.example.com.\n' > "$state/$z.zone"
  [[ $z == example.com ]] && echo "ns1 IN A 127.0.0.1" >> "$state/$z.zone"
  conf+=$'\n'"zone \"$z\" { type primary; file \"$state/$z.zone\"; update-policy { grant ipam-key zonesub ANY; }; };"
done
echo "$conf" > "$state/named.conf"
named -g -c "$state/named.conf" > "$state/named.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do dig @127.0.0.1 -p "$port" +short SOA example.com 2>/dev/null | grep -q hostmaster && break; sleep 0.1; done
echo "named (PID ${pids[0]}) answers on 127.0.0.1#$port for ${zones[*]}"

say "smart-ipamd on config/smart-ipam.yaml, with its database, lease files and DNS under $state"
api_port=$(( port + 1 ))
header='authoring-byte-order little-endian;'
printf '%s\n\n' "$header" > "$state/dhcpd.leases"
printf '%s\n\n' "$header" > "$state/dhcpd6.leases"
sed -e "s|^database: .*|database: $state/ipam.sqlite|" \
    -e "s|path: /var/lib/dhcp/dhcpd.leases, |path: $state/dhcpd.leases, |" \
    -e "s|path: /var/lib/dhcp/dhcpd6.leases, |path: $state/dhcpd6.leases, |" \
    -e "s|^dhcpd_conf: .*|dhcpd_conf: null|" \
    -e "s|^  listen: 127.0.0.1:8080|  listen: 127.0.0.1:$api_port|" config/smart-ipam.yaml > "$state/smart-ipam.yaml"
cat >> "$state/smart-ipam.yaml" <<YAML

dns:
  servers:
    - { name: local, address: 127.0.0.1, port: $port, tsig: { name: ipam-key, secret_file: $state/tsig.key } }
  zones:
    - { name: example.com, server: local }
    - { name: 10.in-addr.arpa, server: local }
    - { name: 1.1.1.1.8.b.d.0.1.0.0.2.ip6.arpa, server: local }
  remove_after: 0s
YAML
"$bin/smart-ipamd" --config "$state/smart-ipam.yaml" 2> "$state/smart-ipamd.log" &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q " ready" "$state/smart-ipamd.log" 2>/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$state/smart-ipamd.log"; exit 1; }
  sleep 0.1
done
sed 's/^/  /' "$state/smart-ipamd.log"

say "dhcpd hands out leases (appended to the lease files as dhcpd writes them)"
now=$(date +%s)
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
# The same laptop's DHCPv6 lease: its DUID-LL carries its MAC, so it shares the v4 name.
printf 'ia-na "\\001\\000\\000\\000\\000\\003\\000\\001<\\"\\373\\001\\002\\027" {\n  cltt %s;\n  iaaddr 2001:db8:1111::117 {\n    binding state active;\n    preferred-life 375;\n    max-life 600;\n    ends %s;\n  }\n}\n' \
  "$(stamp "$now")" "$(stamp $((now + 600)))" >> "$state/dhcpd6.leases"
echo "  lease 2001:db8:1111::117 to the same laptop (DUID-LL 3c:22:fb:01:02:17)"
for _ in $(seq 1 50); do
  dig @127.0.0.1 -p "$port" +short AAAA laptop-17.lab.example.com | grep -q 2001 && break; sleep 0.1
done

say "the inventory"
cli subnet tree
cli leases
say "what BIND answers"
run dig @127.0.0.1 -p "$port" +short A laptop-17.office.example.com
run dig @127.0.0.1 -p "$port" +short AAAA laptop-17.lab.example.com
run dig @127.0.0.1 -p "$port" +short PTR 50.1.2.10.in-addr.arpa
run dig @127.0.0.1 -p "$port" +short A printer-nyc-2.office.example.com
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

kill -TERM "${pids[1]}" && wait "${pids[1]}"
say "smart-ipamd stopped on SIGTERM (exit $?)"
tail -n 2 "$state/smart-ipamd.log" | sed 's/^/  /'
