#!/usr/bin/env bash
# Refreshes the RustSec advisory snapshot that .ci/deny.sh checks against.
# Run it on a machine that can reach GitHub, then commit the two files:
#   bash .ci/update-advisory-db.sh && git add .ci/advisory-db.* && git commit
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone --depth 1 --quiet https://github.com/rustsec/advisory-db "$tmp/db"
tar -C "$tmp/db" -czf .ci/advisory-db.tar.gz crates LICENSE.txt
echo "$(git -C "$tmp/db" log -1 --format=%cs) $(git -C "$tmp/db" rev-parse HEAD)" > .ci/advisory-db.snapshot
cat .ci/advisory-db.snapshot
