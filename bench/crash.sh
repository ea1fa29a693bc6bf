#!/usr/bin/env bash
# Durability under load: wrk submits attempts while this script kills the
# server with SIGKILL, restarts it, and checks every receipt a client got
# back against the store. Ends with: acknowledged=N stored=N lost=0
# Usage: bench/crash.sh [seconds of load before the kill, default 10]
#        KEHOACH_BIN=target/debug/kehoach ATTEMPTS=250000 bench/crash.sh 5   (CI's small run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before_kill="${1:-10}"
port=18092
source "$root/bench/common.sh"
export KEHOACH_CONTEST_IP_PER_MINUTE=1000000000

# More attempts than the load can send before the kill, so it dies mid-stream
# (ATTEMPTS overrides: a debug build sends far fewer).
attempts="${ATTEMPTS:-$(( before_kill * 80000 + 50000 ))}"
"$bin" contest load-test-data --participants 5000 --attempts "$attempts" --out "$data/load" >/dev/null
start_server

env THREADS=2 BODIES="$data/load/submit.txt" RECEIPTS="$data/receipts" \
  wrk -t2 -c64 -d"$(( before_kill + 3 ))s" --timeout 5s -s "$root/bench/lua/receipts.lua" \
  "http://127.0.0.1:$port/thi/bai/nop" >"$data/wrk.log" 2>&1 &
load=$!
sleep "$before_kill"
kill -9 "$server"
wait "$server" 2>/dev/null || true
server=""
echo "Server killed with SIGKILL after ${before_kill}s of load."
wait "$load" || true

start_server
echo "Server restarted."
kill "$server"; wait "$server" 2>/dev/null || true; server=""

cat "$data"/receipts.* | sort -u >"$data/acknowledged"
python3 - "$data/kehoach.db" >"$data/stored" <<'PY'
import sqlite3, sys
for (r,) in sqlite3.connect(sys.argv[1]).execute("SELECT receipt FROM contest_submissions WHERE receipt <> ''"):
    print(r)
PY
sort -u -o "$data/stored" "$data/stored"
acknowledged=$(wc -l <"$data/acknowledged")
stored=$(wc -l <"$data/stored")
lost=$(comm -23 "$data/acknowledged" "$data/stored" | wc -l)
echo "Attempts prepared: $attempts; committed but not acknowledged (in flight at the kill): $(comm -13 "$data/acknowledged" "$data/stored" | wc -l)"
echo "acknowledged=$acknowledged stored=$stored lost=$lost"
[ "$lost" -eq 0 ] && [ "$acknowledged" -gt 0 ] && [ "$acknowledged" -lt "$attempts" ]
