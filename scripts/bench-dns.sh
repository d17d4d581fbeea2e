#!/usr/bin/env bash
# make bench, DNS push: 10,000 hosts (10,000 A + 10,000 PTR) into one named over TSIG, in one run:
# nsupdate one record per message, nsupdate 500 records per message (no ownership checks), and
# smart-ipam from cold (A + PTR with RFC 4703 DHCID prerequisites). Each contender has zones of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results.md}
hosts=${BENCH_DNS_HOSTS:-10000}
bin=.build/release
work=$(mktemp -d /tmp/smart-ipam-dns-bench.XXXXXX)
# shellcheck source=lib/named.sh
source scripts/lib/named.sh
port=$(free_port)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
# bench.test first: it holds ns1, so that the contenders' zones hold only what they push.
start_named "$work" "$port" bench.test one.bench.test 41.10.in-addr.arpa many.bench.test 42.10.in-addr.arpa \
  ipam.bench.test 43.10.in-addr.arpa
key=$work/tsig.key

nsupdate_script() {  # nsupdate_script ZONE NET PER_MESSAGE (a message holds one zone: A records first, then PTRs)
  local zone=$1 net=$2 per=$3 n=0 kind
  echo "server 127.0.0.1 $port"
  for kind in A PTR; do
    for ((i = 0; i < hosts; i++)); do
      a=$(( (i + 1) / 256 )); b=$(( (i + 1) % 256 ))
      if [[ $kind == A ]]; then echo "update add h$i.$zone 300 A 10.$net.$a.$b"
      else echo "update add $b.$a.$net.10.in-addr.arpa 300 PTR h$i.$zone"; fi
      n=$((n + 1))
      if (( n >= per )); then echo send; n=0; fi
    done
    if (( n > 0 )); then echo send; n=0; fi
  done
}
timed() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", e - s }'; }
nsupdate_script one.bench.test 41 1 > "$work/one.txt"
nsupdate_script many.bench.test 42 500 > "$work/many.txt"
# BENCH_DNS_ONE=0 skips the one-per-message peer (minutes on a loaded machine) for quick runs.
t_one=-
if [[ ${BENCH_DNS_ONE:-1} != 0 ]]; then t_one=$(timed nsupdate -r 10 -u 2 -k "$key" "$work/one.txt"); fi
t_many=$(timed nsupdate -r 10 -u 2 -k "$key" "$work/many.txt")
read -r _ derive _ push _ messages _ records _ reading _ talking _ recording _ cpu < <("$bin/smart-ipam-bench" dns "$port" "$key" ipam.bench.test 10.43.0.0/16 "$hosts")
# What each contender left in its zones, read back by AXFR: A and PTR records as "owner value".
expected() {  # expected ZONE NET KIND
  awk -v n="$hosts" -v zone="$1" -v net="$2" -v kind="$3" 'BEGIN {
    for (i = 0; i < n; i++) { a = int((i + 1) / 256); b = (i + 1) % 256
      if (kind == "A") print "h" i "." zone ". 10." net "." a "." b
      else print b "." a "." net ".10.in-addr.arpa. h" i "." zone "." } }' | sort
}
served() { dig @127.0.0.1 -p "$port" AXFR "$1" | awk -v kind="$2" '$3 == "IN" && $4 == kind { print tolower($1), tolower($5) }' | sort; }
declare -A arrived arrived_ptr
for z in one many ipam; do
  case $z in one) net=41;; many) net=42;; ipam) net=43;; esac
  served "$z.bench.test" A > "$work/$z.a"; served "$net.10.in-addr.arpa" PTR > "$work/$z.ptr"
  arrived[$z]=$(comm -12 "$work/$z.a" <(expected "$z.bench.test" "$net" A) | wc -l)
  arrived_ptr[$z]=$(comm -12 "$work/$z.ptr" <(expected "$z.bench.test" "$net" PTR) | wc -l)
done
# Ours must be exact: every A and PTR with its value, nothing else, and a DHCID beside each name.
cmp -s "$work/ipam.a" <(expected ipam.bench.test 43 A) || { echo "bench: ipam.bench.test does not hold exactly the $hosts A records wanted (${arrived[ipam]} right)" >&2; exit 1; }
cmp -s "$work/ipam.ptr" <(expected ipam.bench.test 43 PTR) || { echo "bench: 43.10.in-addr.arpa does not hold exactly the $hosts PTR records wanted (${arrived_ptr[ipam]} right)" >&2; exit 1; }
dhcids=$(served ipam.bench.test DHCID | awk '{ print $1 }' | sort -u | comm -12 - <(awk '{ print $1 }' "$work/ipam.a") | wc -l)
[[ $dhcids -eq $hosts ]] || { echo "bench: only $dhcids of $hosts names in ipam.bench.test carry a DHCID" >&2; exit 1; }
# A peer's losses (nsupdate gives up after its UDP retries) are reported.
rrs=$((2 * hosts))
rate() { awk -v n="$rrs" -v t="$1" 'BEGIN { if (t == "-") print "-"; else printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-") print "-"; else printf "%.1f", a / b }'; }
# A peer that gave up (nsupdate stops at a send whose UDP retries all went unanswered) did not
# push everything: its time is no figure to compare with.
[[ ${arrived[one]} -eq $hosts && ${arrived_ptr[one]} -eq $hosts ]] || t_one_ratio=-
[[ ${arrived[many]} -eq $hosts && ${arrived_ptr[many]} -eq $hosts ]] || t_many_ratio=-
{
  echo "| DNS push, $hosts A + $hosts PTR over TSIG, nsupdate one record per message | $t_one s ($(rate "$t_one") RRs/s), ${arrived[one]} of $hosts A and ${arrived_ptr[one]} of $hosts PTR records arrived | — | peer |"
  echo "| DNS push, same, nsupdate 500 records per message | $t_many s ($(rate "$t_many") RRs/s), ${arrived[many]} of $hosts A and ${arrived_ptr[many]} of $hosts PTR records arrived | — | peer, no ownership checks |"
  echo "| DNS push, same, smart-ipam from cold with DHCID ownership (check-with-dhcid) | push $push s in $messages messages ($(rate "$push") RRs/s; $(ratio "${t_one_ratio:-$t_one}" "$push")× one-per-message, $(ratio "${t_many_ratio:-$t_many}" "$push")× nsupdate-500); of it: outbox read and planned $reading s, BIND $talking s, answers recorded after the last one $recording s; $cpu s of CPU; deriving the records first $derive s; zones checked by AXFR: every A, PTR and DHCID | ≤ 0.6 s, ≥ 30× one-per-message | + $hosts DHCID RRs |"
} | tee -a "$out"
