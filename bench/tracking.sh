#!/usr/bin/env bash
# Implementation tracking at province scale: generates 300 units, 5 plans,
# 200,000 activities and 4 periods per plan (embedded SQLite), then measures
# the dashboard (wrk, 32 connections), search (wrk, 32 connections) and the
# period exports (.docx, .xlsx) through the command line.
# Usage: bench/tracking.sh [seconds per wrk run, default 30]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-30}"
port=18093
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin kehoach --manifest-path "$root/Cargo.toml"
bin="$root/target/release/kehoach"
data="$(mktemp -d)"
export KEHOACH_DATA_DIR="$data" RUST_LOG=warn
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

echo "Generate (kehoach demo generate):"
"$bin" demo generate | sed 's/^/  /'

"$bin" serve --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
cookie=$(curl -fsS -o /dev/null -D - -d "username=dieuphoi&password=dieuphoi-2021" "http://127.0.0.1:$port/login" |
  tr -d '\r' | awk -F'[ ;]' '/^[Ss]et-[Cc]ookie: kh_session=/ { print $2 }')
period=$(curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$port/plans/1/periods" | grep -o 'href="/periods/[0-9]*"' | head -1 | grep -o '[0-9]*')

cat >"$data/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  requests/s %.0f, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
first() { curl -fsS -o /dev/null -w "  first view after a write: %{time_total} s\n" -H "Cookie: $cookie" "http://127.0.0.1:$port$1"; }
run() {
  echo "$1 ($2), wrk -t2 -c32 -d${secs}s:"
  wrk -t2 -c32 -d"${secs}s" -H "Cookie: $cookie" -s "$data/p95.lua" "http://127.0.0.1:$port$2" | grep -E '^  requests'
}
dash="/plans/1/dashboard?period=$period"
first "$dash"
run "Dashboard of a plan for a period" "$dash"
first "/plans/1/dashboard"
run "Dashboard of a whole plan" "/plans/1/dashboard"
run "Search, three words" "/search?q=xay+dung+dang"
run "Search, two words" "/search?q=tieu+bieu"

for format in docx xlsx; do
  echo "Export .$format of a period (kehoach report export):"
  "$bin" report export --plan 1 --period "$period" --format "$format" --out "$data/out.$format" | sed 's/^/  /'
done
