#!/usr/bin/env bash
# Juried competitions at national scale, through the real binary: a fresh
# edition of 2,500 accepted entries in 5 categories from 40 outlets and 60
# judges (12 per sub-council, most working at one of those outlets, a third
# declaring conflicts), k = 3. Each run times opening the preliminary round
# (loading entries and judges, the automatic assignment, storing 10,000
# rows) and computing its results from 7,500 score sheets (load, rank and
# allocate, store).
# Usage: bench/award.sh [runs, default 5] [postgres]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
cargo build --release --quiet --bin kehoach --manifest-path "$root/Cargo.toml"
bin="${KEHOACH_BIN:-$root/target/release/kehoach}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
export RUST_LOG=warn
if [ "${2:-}" = postgres ]; then
  psql -h 127.0.0.1 -U postgres -q -c 'DROP DATABASE IF EXISTS kehoach_award_bench' \
    -c 'CREATE DATABASE kehoach_award_bench' 2>/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/kehoach_award_bench"
fi
for i in $(seq 1 "$runs"); do
  KEHOACH_DATA_DIR="$data/run$i" "$bin" award synthetic --entries 2500 --judges 60
done
