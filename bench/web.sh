#!/usr/bin/env bash
# p95 latency of the plan review page and a unit's duties page under wrk at
# 64 connections, with 300 units and 50 published plans in the embedded
# SQLite database; also the seed's import time through the command line.
# Usage: bench/web.sh [seconds per run, default 30]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-30}"
port=18090
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin kehoach --manifest-path "$root/Cargo.toml"
bin="$root/target/release/kehoach"
data="$(mktemp -d)"
export KEHOACH_DATA_DIR="$data"
"$bin" serve --demo --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# Grow the directory to 300 units: the demo's units plus generated communes.
have=$(grep -c . "$root/fixtures/units/phu-yen.csv")
{
  echo "name,short_name,parent,aliases,groups"
  for i in $(seq 1 $((300 - have + 1))); do echo "Đảng ủy xã thử nghiệm số $i,,Huyện ủy Tuy An,,Các đảng ủy xã thử nghiệm"; done
} >"$data/units.csv"
RUST_LOG=warn "$bin" unit import "$data/units.csv" >/dev/null

echo "Import of the seed plan (kehoach plan import --publish), 49 runs:"
for _ in $(seq 1 49); do
  RUST_LOG=warn "$bin" plan import --publish "$root/fixtures/plans/plan-2021.txt"
done | awk '{ for (i = 1; i <= NF; i++) if ($i == "trong") print $(i + 1) }' | sort -n |
  awk '{ a[NR] = $1 } END { printf "  median %.1f ms, p95 %.1f ms, max %.1f ms\n", a[int(NR/2)+1], a[int(NR*0.95)], a[NR] }'

login() {
  curl -fsS -o /dev/null -D - -d "username=$1&password=$2" "http://127.0.0.1:$port/login" |
    tr -d '\r' | awk -F'[ ;]' '/^[Ss]et-[Cc]ookie: kh_session=/ { print $2 }'
}
office=$(login dieuphoi dieuphoi-2021)
member=$(login donvi donvi-2021)
units=$(sqlite3 "$data/kehoach.db" 'SELECT COUNT(*) FROM units' 2>/dev/null || echo "?")
plans=$(sqlite3 "$data/kehoach.db" 'SELECT COUNT(*) FROM plans' 2>/dev/null || echo "?")
echo "Database: $units units, $plans plans"

cat >"$data/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  requests/s %.0f, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
run() {
  echo "$1 ($2), wrk -t2 -c64 -d${secs}s:"
  wrk -t2 -c64 -d"${secs}s" -H "Cookie: $3" -s "$data/p95.lua" "http://127.0.0.1:$port$2" | grep -E '^  requests'
}
run "Plan review page" /plans/1 "$office"
run "Unit member's duties page" /duties "$member"
