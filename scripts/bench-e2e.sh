#!/usr/bin/env bash
# make bench, end to end: a lease appended to dhcpd's lease file -> BIND answers its A and PTR.
# A real named on 127.0.0.1 (a TSIG key from tsig-keygen, zones e2e.test and 10.in-addr.arpa)
# and the release smart-ipamd following a lease file, with DNS on (RFC 4703 DHCID ownership,
# as configured by default). scripts/e2e-latency.py appends leases from the project's generator
# (dhcpd's layout, times set at the append) at BENCH_E2E_RATE leases/s for BENCH_E2E_SECONDS,
# watches BIND (SOA serials polled every millisecond; names asked for when a serial moves) and
# prints p50/p99/max of append -> both answers. Fails when a lease never gets both answers.
# BENCH_E2E_TIMELINE=FILE writes each lease's append and answer times there (e2e-latency.py
# --timeline), to see where a slow tail comes from. BENCH_E2E_DAEMON runs another smart-ipamd binary (e.g. a build from before a change), so that
# two builds can be compared in alternation on the same loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results.md}
mkdir -p "$(dirname "$out")"
rate=${BENCH_E2E_RATE:-500}
seconds=${BENCH_E2E_SECONDS:-10}
warmup=${BENCH_E2E_WARMUP:-100}
bin=.build/release
daemon=${BENCH_E2E_DAEMON:-$bin/smart-ipamd}  # another build of the daemon, to compare two on the same machine
work=$(mktemp -d /tmp/smart-ipam-e2e-bench.XXXXXX)
# shellcheck source=lib/named.sh
source scripts/lib/named.sh
port=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

start_named "$work" "$port" e2e.test 10.in-addr.arpa

# Leases in dhcpd's layout: the generator's (86% of its records are active with a hostname).
count=$(( (warmup + rate * seconds) * 100 / 80 ))
"$bin/lease-files-bench" generate v4 "$count" 0 "$work/template.leases" "$work/template.conf" 16
# The lease file in a folder of its own, as /var/lib/dhcp is: the daemon watches the folder, and
# the database's and named's writes beside it would wake it for nothing.
mkdir "$work/dhcp"
printf 'authoring-byte-order little-endian;\n\n' > "$work/dhcp/dhcpd.leases"
cat > "$work/smart-ipam.yaml" <<YAML
database: $work/ipam.sqlite
dhcpd_conf: null
api: { enabled: false }
leases: [{ path: $work/dhcp/dhcpd.leases, format: isc-dhcpd4 }]
subnets:
  - { name: Bench, network: 10.0.0.0/16, domain: e2e.test }
dns:
  servers: [{ name: bench, address: 127.0.0.1, port: $port, tsig: { name: ipam-key, secret_file: $work/tsig.key } }]
  zones: [{ name: e2e.test, server: bench }, { name: 10.in-addr.arpa, server: bench }]
YAML
"$daemon" --config "$work/smart-ipam.yaml" 2>"$work/daemon.log" &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q " ready" "$work/daemon.log" 2>/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$work/daemon.log" >&2; exit 1; }
  sleep 0.1
done

cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime, in clock ticks
daemon_before=$(cpu "${pids[1]}") named_before=$(cpu "${pids[0]}")
if ! figures=$(python3 scripts/e2e-latency.py --template "$work/template.leases" --leases "$work/dhcp/dhcpd.leases" --port "$port" \
    --domain e2e.test --reverse-zone 10.in-addr.arpa --rate "$rate" --seconds "$seconds" --warmup "$warmup" \
    ${BENCH_E2E_TIMELINE:+--timeline "$BENCH_E2E_TIMELINE"}); then
  echo "$figures" >&2
  echo "bench: some leases never got both answers; the daemon's log ends:" >&2
  tail -n 20 "$work/daemon.log" >&2
  exit 1
fi
echo "$figures"
ticks=$(getconf CLK_TCK)
cpu_daemon=$(awk -v a="$daemon_before" -v b="$(cpu "${pids[1]}")" -v t="$ticks" 'BEGIN { printf "%.1f", (b - a) / t }')
cpu_named=$(awk -v a="$named_before" -v b="$(cpu "${pids[0]}")" -v t="$ticks" 'BEGIN { printf "%.1f", (b - a) / t }')
declare -A f
read -ra words <<< "$figures"
for ((i = 0; i + 1 < ${#words[@]}; i += 2)); do f[${words[i]}]=${words[i + 1]}; done
passes=$(grep -c "DNS synchronized" "$work/daemon.log" || true)
echo "| end to end, lease appended → A and PTR answer from BIND, ${rate} leases/s for ${seconds} s | p50 ${f[p50_ms]} ms, p99 ${f[p99_ms]} ms, max ${f[max_ms]} ms (A alone: p50 ${f[a_p50_ms]} ms, p99 ${f[a_p99_ms]} ms); ${f[answered]} of ${f[leases]} leases at ${f[rate]}/s after ${f[warmup]} not counted; $passes DNS passes; CPU smart-ipamd ${cpu_daemon} s, named ${cpu_named} s, the measuring script ${f[cpu_s]} s; load average $(cut -d' ' -f1 /proc/loadavg) | p50 ≤ 10 ms, p99 ≤ 50 ms | SOA polled every 1 ms, names asked for on each serial change |" | tee -a "$out"
