#!/usr/bin/env bash
# make bench, lease files: smart-ipam against dhcpd-pools on the same generated files, run
# alternately, several runs each; median wall time and peak RSS from /usr/bin/time -v. The two
# outputs must be identical (`--format dhcpd-pools` prints dhcpd-pools' own table): speed that
# changes the answer does not count. Then the daemon's cold start on the same file (BENCH_COLD=0
# skips it: it takes a minute or more).
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(…) (cold_file's generate) stops the script too
cd "$(dirname "$0")/.."
out=${1:-bench/results.md}
count=${BENCH_LEASES:-1000000}
runs=${BENCH_RUNS:-3}
work=bench/work
mkdir -p "$work"
bin=.build/release

measure() {  # measure LABEL OUTFILE CMD... -> "seconds kib"
  local label=$1 result=$2; shift 2
  /usr/bin/time -v -o "$work/time.$label" "$@" > "$result" 2>"$work/err.$label"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.$label" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.$label")
  echo "$wall $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

rows=()
for rewrite in 0 50; do
  leases="$work/dhcpd-$count-$rewrite.leases"; conf="$work/dhcpd-$count-$rewrite.conf"
  [[ -s $leases ]] || "$bin/lease-files-bench" generate v4 "$count" "$rewrite" "$leases" "$conf"
  size=$(stat -c %s "$leases")
  ours_t=(); ours_m=(); peer_t=(); peer_m=()
  for ((i = 0; i < runs; i++)); do
    read -r t m < <(measure ours "$work/ours.txt" "$bin/smart-ipam" report pools --dhcpd-conf "$conf" --leases "$leases" --format dhcpd-pools)
    ours_t+=("$t"); ours_m+=("$m")
    read -r t m < <(measure peer "$work/peer.txt" dhcpd-pools -c "$conf" -l "$leases")
    peer_t+=("$t"); peer_m+=("$m")
    if ! cmp -s "$work/ours.txt" "$work/peer.txt"; then
      echo "bench: smart-ipam and dhcpd-pools disagree on $leases:" >&2
      diff "$work/ours.txt" "$work/peer.txt" | head -20 >&2
      exit 1
    fi
  done
  ot=$(printf '%s\n' "${ours_t[@]}" | median); pt=$(printf '%s\n' "${peer_t[@]}" | median)
  om=$(printf '%s\n' "${ours_m[@]}" | median); pm=$(printf '%s\n' "${peer_m[@]}" | median)
  ratio=$(awk -v p="$pt" -v o="$ot" 'BEGIN { printf "%.1f", (o > 0 ? p / o : 0) }')
  rows+=("| lease file parse + pool report, whole process, $count v4 leases, $rewrite% rewrites ($((size / 1000000)) MB) | smart-ipam $ot s, $((om / 1024)) MiB; dhcpd-pools $pt s, $((pm / 1024)) MiB; **$ratio× faster**, identical output | ≥ 5× faster, RSS ≤ dhcpd-pools | median of $runs alternating runs |")
done

if [[ ${BENCH_COLD:-1} != 0 ]]; then
# Cold start: an empty database, a 1,000,000-lease file, until READY=1 (first full read
# ingested). The files' times are set from the clock when they are made, and made again a day
# later, so that what is measured does not depend on the date: "live", as dhcpd writes a file
# it holds now (the last record now, leases of 14 days: every active lease, 86% of the
# records, is current and becomes an address row); "history", the same records ended two days
# ago (only the abandoned ones, 1%, become rows). In the generator's address order, and
# scattered, as dhcpd writes them (by state and lease end on a rewrite, by time when it appends).
cold_file() {  # cold_file NAME START LEASE_SECONDS [scattered] -> leases path; conf beside it
  local leases="$work/dhcpd-$count-$1.leases"
  if [[ ! -s $leases ]] || [[ -z $(find "$leases" -mmin -1440) ]]; then
    # Written aside and moved in place: a failed run leaves no half file to reuse for a day.
    "$bin/lease-files-bench" generate v4 "$count" 0 "$leases.tmp" "${leases%.leases}.conf" 16 ${4:-ordered} --start="$2" --lease-seconds="$3"
    mv "$leases.tmp" "$leases"
  fi
  echo "$leases"
}
cold_start() {  # cold_start LEASES CONF ORDER
  local leases=$1 conf=$2 order=$3 state="$work/cold"
  rm -rf "$state"; mkdir -p "$state"
  cat > "$state/smart-ipam.yaml" <<YAML
database: $PWD/$state/ipam.sqlite
dhcpd_conf: $PWD/$conf
leases: [{ path: $PWD/$leases, format: isc-dhcpd4 }]
api: { listen: "127.0.0.1:0" }
YAML
  local start daemon ready rss leased
  start=$(date +%s.%N)
  "$bin/smart-ipamd" --config "$state/smart-ipam.yaml" 2>"$state/daemon.log" &
  daemon=$!
  trap 'kill -TERM $daemon 2>/dev/null || true' EXIT
  until grep -q " ready" "$state/daemon.log"; do
    kill -0 $daemon 2>/dev/null || { cat "$state/daemon.log" >&2; exit 1; }
    sleep 0.01
  done
  ready=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  rss=$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$daemon/status)
  leased=$(grep -o 'status=[^[]*' "$state/daemon.log" | tail -1)
  # The history's indexes are built after READY (HistoryIndexService): when they are done too,
  # and the peak by then.
  local indexed="not within 300 s" waited=0
  until grep -q "the indexes a first read deferred are built" "$state/daemon.log"; do
    kill -0 $daemon 2>/dev/null || { cat "$state/daemon.log" >&2; exit 1; }
    sleep 0.01; waited=$((waited + 1))
    [[ $waited -lt 30000 ]] || break
  done
  if grep -q "the indexes a first read deferred are built" "$state/daemon.log"; then
    indexed="$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
  fi
  local rss_after
  rss_after=$(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$daemon/status)
  kill -TERM $daemon; wait $daemon || true
  trap - EXIT
  rows+=("| daemon cold start, empty database, $count leases in $order, to READY=1 | $ready s, peak RSS $rss MiB ($leased); deferred indexes built at $indexed, peak RSS then $rss_after MiB | READY ≤ 5 s, RSS ≤ 300 MiB | debug logging off |")
}
now=$(date +%s)
for variant in "live ordered" "live scattered" "history scattered"; do
  read -r kind order <<< "$variant"
  if [[ $kind == live ]]; then start=$((now - count)) seconds=$((14 * 86400)); else start=$((now - count - 2 * 86400)) seconds=3600; fi
  leases=$(cold_file "$kind-$order" "$start" "$seconds" "$order")
  cold_start "$leases" "${leases%.leases}.conf" "$( [[ $order == ordered ]] && echo "address order" || echo "dhcpd's order (scattered)" ), $kind ($( [[ $kind == live ]] && echo "active leases current" || echo "every lease ended" ))"
done
fi

printf '%s\n' "${rows[@]}" | tee -a "$out"
