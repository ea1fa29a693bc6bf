#!/usr/bin/env bash
# p95 latency of the plan review page and a unit's duties page under wrk at
# 64 connections, with 300 units and 50 published plans in the embedded
# SQLite database; also the seed's import time through the command line.
# Usage: bench/web.sh [seconds per run, default 30]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-30}"
port=18090
source "$root/bench/common.sh"
start_server --demo

# Grow the directory to 300 units: the demo's units plus generated communes.
have=$(grep -c . "$root/fixtures/units/phu-yen.csv")
{
  echo "name,short_name,parent,aliases,groups"
  for i in $(seq 1 $((300 - have + 1))); do echo "Đảng ủy xã thử nghiệm số $i,,Huyện ủy Tuy An,,Các đảng ủy xã thử nghiệm"; done
} >"$data/units.csv"
"$bin" unit import "$data/units.csv" >/dev/null

echo "Import of the seed plan (kehoach plan import --publish), 49 runs:"
for _ in $(seq 1 49); do
  "$bin" plan import --publish "$root/fixtures/plans/plan-2021.txt"
done | awk '{ for (i = 1; i <= NF; i++) if ($i == "trong") print $(i + 1) }' | sort -n |
  awk '{ a[NR] = $1 } END { printf "  median %.1f ms, p95 %.1f ms, max %.1f ms\n", a[int(NR/2)+1], a[int(NR*0.95)], a[NR] }'

office=$(login dieuphoi song-da-rang-2021)
member=$(login donvi ganh-da-dia-2021)
run "Plan review page" /plans/1 "$office" 64
run "Unit member's duties page" /duties "$member" 64
