#!/usr/bin/env bash
# The whole test suite (make test, after the build), with a bound: a run still going after
# TEST_TIMEOUT seconds (1500 by default; a full run takes about a minute) prints what is still
# running (the tests started and not ended, the processes under it, the test process's threads
# when gdb is there), stops all of it, and fails. A hung test so fails in minutes, saying
# where, instead of holding CI until its own limit.
set -uo pipefail
cd "$(dirname "$0")/.."

limit=${TEST_TIMEOUT:-1500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/test.log
: > "$log"

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
        # Stop it all, by PID: the test process and everything it started.
        for pid in $(descendants "$runner"); do kill -9 "$pid" 2>/dev/null; done
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
exit "$status"
