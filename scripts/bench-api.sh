#!/usr/bin/env bash
# make bench, API allocation: 64 clients (wrk, keep-alive connections) POST /api/v1/allocate
# against the release smart-ipamd on loopback, durable (WAL, synchronous=FULL, group commit),
# for a few seconds. Afterwards the database is read back: every 201 is a distinct row, and the
# audit log holds one entry per allocation. Prints allocations/s and latency percentiles.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results.md}
seconds=${BENCH_API_SECONDS:-5}
clients=${BENCH_API_CLIENTS:-64}
bin=.build/release
work=$(mktemp -d /tmp/smart-ipam-api-bench.XXXXXX)
# shellcheck source=lib/ports.sh
source scripts/lib/ports.sh
port=$(free_port)
cat > "$work/smart-ipam.yaml" <<YAML
database: $work/ipam.sqlite
leases: []
dhcpd_conf: null
api: { listen: "127.0.0.1:$port" }
logging: { level: warning }
subnets:
  - { name: Bench, network: 10.60.0.0/14 }
YAML
token=$("$bin/smart-ipam" token create bench --role operator --config "$work/smart-ipam.yaml" 2>/dev/null)
"$bin/smart-ipamd" --config "$work/smart-ipam.yaml" 2>"$work/daemon.log" &
daemon=$!
trap 'kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
cat > "$work/allocate.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"subnet": "10.60.0.0/14", "hostname": "bench", "device_type": "vm"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\n", summary.requests, summary.errors.status, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
threads=$(( clients < 2 ? 1 : 2 ))
${BENCH_API_WRAP:-} wrk -t"$threads" -c"$clients" -d"${seconds}s" --latency -s "$work/allocate.lua" "http://127.0.0.1:$port/api/v1/allocate" > "$work/wrk.txt"
read -r _ requests bad duration p50 p99 max < <(grep '^RESULT' "$work/wrk.txt")
kill $daemon; wait $daemon 2>/dev/null || true
ok=$((requests - bad))
rows=$("$bin/smart-ipam" address list 10.60.0.0/14 --state allocated --limit 100000000 --config "$work/smart-ipam.yaml" --json | jq '.addresses | length')
distinct=$("$bin/smart-ipam" address list 10.60.0.0/14 --state allocated --limit 100000000 --config "$work/smart-ipam.yaml" --json | jq '[.addresses[].ip_address] | unique | length')
audited=$("$bin/smart-ipam" audit --action address.allocate --limit 1000000 --config "$work/smart-ipam.yaml" --json | jq '.entries | length')
rate=$(awk -v n="$ok" -v us="$duration" 'BEGIN { printf "%.0f", n / (us / 1000000) }')
# Requests still in flight when wrk stops are answered by the daemon but not counted by wrk: at
# most one per connection. Every row must be distinct and audited.
(( rows >= ok && rows <= ok + clients && distinct == rows && audited == rows )) || {
  echo "bench: $ok allocations answered 201, but $rows rows, $distinct distinct, $audited audited" >&2; exit 1; }
echo "| API allocate, $clients clients (wrk), durable, ${seconds} s | $rate allocations/s; p50 $p50 ms, p99 $p99 ms, max $max ms; $ok answered 201 ($rows rows, all distinct and audited), $bad non-2xx | ≥ 5,000/s, 0 duplicates | |" | tee -a "$out"
