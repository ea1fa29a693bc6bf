#!/usr/bin/env bash
# The knowledge contest under load, with wrk on this machine over loopback:
# submissions (the hot path) at 256 connections, attempt starts,
# registrations, the trivial health endpoint for comparison, and the
# ranking batch of a 1,000,000-attempt round. Generates its own contest,
# participants, started attempts and answers; ends with one line:
#   submit_rps=N p99_ms=N healthz_rps=N ratio=N start_rps=N rank_1m_s=N register_rps=N
# Usage: bench/contest.sh [seconds of the submission run, default 60] [sqlite|postgres]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-60}"
engine="${2:-sqlite}"
short=$(( secs < 20 ? secs : 20 ))
port=18091
source "$root/bench/common.sh"
# All load comes from one address; the per-address limit would stop it.
export KEHOACH_CONTEST_IP_PER_MINUTE=1000000000
if [ "$engine" = postgres ]; then
  psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS kehoach_bench' -c 'CREATE DATABASE kehoach_bench'
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/kehoach_bench"
fi

echo "== $engine, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
attempts=$(( secs * 45000 + 100000 ))
echo "Generating the contest, 100,000 participants and $attempts started attempts..."
ids=$("$bin" contest load-test-data --participants 100000 --attempts "$attempts" --out "$data/load")
contest=$(echo "$ids" | sed -E 's/.*contest=([0-9]+).*/\1/')
round=$(echo "$ids" | sed -E 's/.*round=([0-9]+).*/\1/')
start_server

# wrk_run NAME SECONDS SCRIPT PATH [ENV...] → the RESULT line
wrk_run() {
  local name=$1 duration=$2 script=$3 path=$4; shift 4
  env THREADS=2 LUA_DIR="$root/bench/lua" TARGET_PATH="$path" "$@" \
    wrk -t2 -c256 -d"${duration}s" --timeout 10s -s "$root/bench/lua/$script" "http://127.0.0.1:$port$path" |
    grep '^RESULT' | sed "s/^RESULT/$name/"
}
value() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2 }'; }

echo "Health endpoint (GET /healthz), wrk -t2 -c256 -d${short}s:"
health=$(wrk -t2 -c256 -d"${short}s" -s "$data/p95.lua" "http://127.0.0.1:$port/healthz" | grep '^  requests')
echo "$health"
healthz_rps=$(echo "$health" | sed -E 's/.*requests\/s ([0-9]+).*/\1/')

echo "Submissions (POST /thi/bai/nop), wrk -t2 -c256 -d${secs}s:"
submit=$(wrk_run submit "$secs" replay.lua /thi/bai/nop BODIES="$data/load/submit.txt")
echo "  $submit"

echo "Attempt starts (POST /thi/vong/$round/bat-dau), wrk -t2 -c256 -d${short}s:"
start=$(wrk_run start "$short" replay.lua "/thi/vong/$round/bat-dau" \
  HEADER_NAME=X-Participant HEADER_VALUES="$data/load/participants.txt")
echo "  $start"

echo "Registrations (POST /thi/$contest/dang-ky), wrk -t2 -c256 -d${short}s:"
register=$(wrk_run register "$short" register.lua "/thi/$contest/dang-ky" RUN_PREFIX=1)
echo "  $register"

kill "$server"; wait "$server" 2>/dev/null || true; server=""
slow=$(grep -c "slow contest batch" "$data/server.log" || true)
echo "Writer batches over 50 ms: $slow $(grep "slow contest batch" "$data/server.log" | sed -E 's/.* ms=([0-9]+).*/\1/' | sort -n | tail -1 | sed 's/^/(longest ms: /;s/$/)/')"

# Every acknowledged submission is in the store.
case "$engine" in
  sqlite) stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM contest_submissions').fetchone()[0])" "$data/kehoach.db") ;;
  postgres) stored=$(psql -h 127.0.0.1 -U postgres -d kehoach_bench -tAc 'SELECT COUNT(*) FROM contest_submissions') ;;
esac
echo "Submissions acknowledged: $(value "$submit" ok), stored: $stored"

echo "Ranking a round of 1,000,000 attempts (300,000 participants):"
synth=$("$bin" contest synthetic-round --submissions 1000000 --participants 300000)
synth_round=$(echo "$synth" | sed -E 's/.*round=([0-9]+).*/\1/')
t0=$(date +%s.%N)
rank=$(RUST_LOG=error "$bin" contest rank --round "$synth_round")
t1=$(date +%s.%N)
echo "  $rank (command total $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s)"
rank_ms=$(value "$rank" total_ms)

submit_rps=$(value "$submit" ok_rps)
awk -v s="$submit_rps" -v p="$(value "$submit" p99_ms)" -v h="$healthz_rps" -v st="$(value "$start" ok_rps)" \
  -v r="$rank_ms" -v reg="$(value "$register" ok_rps)" 'BEGIN {
  printf "submit_rps=%d p99_ms=%.1f healthz_rps=%d ratio=%.2f start_rps=%d rank_1m_s=%.2f register_rps=%d\n",
    s, p, h, s / h, st, r / 1000, reg }'
