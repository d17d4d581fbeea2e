# Sourced by the scripts that need a local BIND (make demo, make bench end to end):
#   port=$(free_port)
#   start_named DIR PORT ZONE...
# starts `named -g` on 127.0.0.1#PORT with its files and log in DIR: a TSIG key `ipam-key` from
# tsig-keygen in DIR/tsig.key (mode 600), each ZONE a primary zone whose update-policy grants
# the key, the first ZONE also holding ns1 (127.0.0.1), the name server of them all. Appends
# named's PID to the caller's `pids` array (the caller stops it) and returns once every zone
# answers SOA over UDP and TCP; fails with the end of named's log otherwise.
# shellcheck source=ports.sh
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

start_named() {
  local dir=$1 port=$2 zone zones="" up i
  shift 2
  local ns="ns1.$1"
  tsig-keygen -a hmac-sha256 ipam-key > "$dir/tsig.key" && chmod 600 "$dir/tsig.key"
  for zone in "$@"; do
    printf '$TTL 300\n@ IN SOA %s. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS %s.\n' "$ns" "$1" "$ns" > "$dir/$zone.zone"
    if [[ $zone == "$1" ]]; then echo "ns1 IN A 127.0.0.1" >> "$dir/$zone.zone"; fi
    zones+="zone \"$zone\" { type primary; file \"$dir/$zone.zone\"; update-policy { grant ipam-key zonesub ANY; }; };"$'\n'
  done
  cat > "$dir/named.conf" <<CONF
include "$dir/tsig.key";
options { directory "$dir"; pid-file "$dir/named.pid"; listen-on port $port { 127.0.0.1; }; listen-on-v6 { none; };
  recursion no; dnssec-validation no; notify no; allow-transfer { 127.0.0.1; }; };
controls { };
$zones
CONF
  named -g -c "$dir/named.conf" > "$dir/named.log" 2>&1 &
  pids+=($!)
  for i in $(seq 1 100); do
    up=1
    for zone in "$@"; do
      dig @127.0.0.1 -p "$port" +short SOA "$zone" 2>/dev/null | grep -q hostmaster || { up=0; break; }
    done
    # Large updates go over TCP: a named that could not bind its TCP port is no use.
    if ((up)) && ! dig @127.0.0.1 -p "$port" +tcp +short SOA "$1" 2>/dev/null | grep -q hostmaster; then up=0; fi
    if ((up)); then return 0; fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "named does not serve $* on 127.0.0.1#$port:" >&2
  tail -n 20 "$dir/named.log" >&2
  return 1
}
