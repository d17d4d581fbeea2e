#!/usr/bin/env bash
# The whole test suite (make test, after the build), with a bound: a run still going after
# TEST_TIMEOUT seconds (1500 by default; a full run takes about a minute) prints what is still
# running (the tests started and not ended, the processes under it, the test process's threads
# when gdb is there), stops all of it, and fails. A hung test so fails in minutes, saying
# where, instead of holding CI until its own limit. However the suite ends, what its tests
# started and left behind (a test process that crashed does not stop its named, dhcpd and
# daemons) is listed and stopped, by PID, and the network namespaces they made are deleted.
set -uo pipefail
cd "$(dirname "$0")/.."

limit=${TEST_TIMEOUT:-1500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/test.log
: > "$log"
# Every process the tests start inherits this (ChildProcess passes the environment on), and
# NamespaceLab lists its namespaces in $work/netns: how leftovers are told from the rest.
export SMART_IPAM_TEST_RUN=$work

# Stops the processes that carry this run's mark, by PID, and deletes its namespaces.
leftovers() {
    env -u SMART_IPAM_TEST_RUN python3 - "$work" <<'EOF'
import os, signal, sys, time
# The processes whose environment carries this run's mark (argv[1]), stopped by PID.
mark = ("SMART_IPAM_TEST_RUN=" + sys.argv[1]).encode()
def marked():
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as f:
                if mark not in f.read().split(b"\0"):
                    continue
            with open(f"/proc/{name}/cmdline", "rb") as f:
                found[int(name)] = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            pass
    return found
left = marked()
if left:
    print(f"run-tests: {len(left)} processes started by the tests were still running; stopped:")
    for pid, args in sorted(left.items()):
        print(f"    {pid} {args[:200]}")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    for _ in range(50):
        if not marked():
            break
        time.sleep(0.1)
EOF
    local namespace
    [[ -f $work/netns ]] || return 0
    while read -r namespace; do
        [[ -e /run/netns/$namespace ]] || continue  # where `ip netns add` puts it
        echo "run-tests: network namespace $namespace was left by the tests; deleted"
        for pid in $(ip netns pids "$namespace" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
        ip netns del "$namespace" 2>/dev/null
    done < "$work/netns"
}

# Every process under $1, deepest first.
descendants() {
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        descendants "$child"
        echo "$child"
    done
}

# Swift Testing's event stream (a JSON line per event, written as it happens) says which tests
# started and did not end; the console output comes through swift-test in blocks.
( "${SWIFT:-swift}" test --skip-build --event-stream-output-path "$work/events.jsonl" --event-stream-version 0 "$@" > "$log" 2>&1
  echo $? > "$work/status" ) &
runner=$!
tail -n +1 -f --pid="$runner" "$log" &
follower=$!
start=$SECONDS
while kill -0 "$runner" 2>/dev/null; do
    if (( SECONDS - start > limit )); then
        echo
        echo "run-tests: the suite still runs after ${limit} s; what is still going:"
        echo "--- tests started and not ended:"
        python3 - "$work/events.jsonl" <<'EOF'
import json, sys
running = {}
try:
    for line in open(sys.argv[1], errors="replace"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("kind") != "event":
            continue
        event = record["payload"]
        test = event.get("testID")
        if event.get("kind") == "testStarted" and test:
            running[test] = True
        elif event.get("kind") == "testEnded" and test:
            running.pop(test, None)
except FileNotFoundError:
    pass
for test in running:
    print("   ", test)
EOF
        echo "--- processes:"
        ps -o pid,ppid,etimes,args -p "$(descendants "$runner" | paste -sd, -)" 2>/dev/null
        # This run's test process only (another checkout's may run beside it).
        tests=$(for pid in $(descendants "$runner"); do
            case "$(ps -o args= -p "$pid" 2>/dev/null)" in *smart-ipamPackageTests.xctest*) echo "$pid" ;; esac
        done)
        for pid in $tests; do
            if command -v gdb >/dev/null; then
                echo "--- threads of the test process $pid:"
                timeout 120 gdb -p "$pid" -batch -ex "thread apply all bt 12" 2>/dev/null | grep -E '^(Thread|#)' | head -400
            fi
        done
        # Stop it all, by PID: swift-test, the test process and everything it started carry the mark.
        leftovers
        wait "$runner" 2>/dev/null
        wait "$follower" 2>/dev/null
        echo "run-tests: FAILED: the suite did not end within ${limit} s (TEST_TIMEOUT)"
        exit 124
    fi
    sleep 2
done
wait "$runner"
wait "$follower"
status=$(cat "$work/status" 2>/dev/null || echo 1)
leftovers
exit "$status"
