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
source "$root/bench/common.sh"

echo "Generate (kehoach demo generate):"
"$bin" demo generate | sed 's/^/  /'
start_server
cookie=$(login dieuphoi song-da-rang-2021)
period=$(curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$port/plans/1/periods" | grep -o 'href="/periods/[0-9]*"' | head -1 | grep -o '[0-9]*')

first() { curl -fsS -o /dev/null -w "  first view after a write: %{time_total} s\n" -H "Cookie: $cookie" "http://127.0.0.1:$port$1"; }
dash="/plans/1/dashboard?period=$period"
first "$dash"
run "Dashboard of a plan for a period" "$dash" "$cookie" 32
first "/plans/1/dashboard"
run "Dashboard of a whole plan" "/plans/1/dashboard" "$cookie" 32
run "Search, three words" "/search?q=xay+dung+dang" "$cookie" 32
run "Search, two words" "/search?q=tieu+bieu" "$cookie" 32

for format in docx xlsx; do
  echo "Export .$format of a period (kehoach report export):"
  "$bin" report export --plan 1 --period "$period" --format "$format" --out "$data/out.$format" | sed 's/^/  /'
done
