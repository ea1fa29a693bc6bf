#!/usr/bin/env bash
# The browser pass: a real kehoach on the demo data, driven by headless
# Chromium. Installs what it needs (Chromium from Debian, npm packages
# pinned by package-lock.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Chromium (Debian package)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

cargo build --quiet --bin kehoach --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/kehoach"

data="$(mktemp -d)"
port="${KEHOACH_E2E_PORT:-18080}"
log="$data/server.log"
"$bin" serve --demo --bind "127.0.0.1:$port" --data-dir "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log"; exit 1; }

export KEHOACH_URL="http://127.0.0.1:$port"
export KEHOACH_SEED="$root/fixtures/plans/plan-2021.txt"
(cd "$here" && node --test --test-concurrency=1 .) || { echo "--- server log"; tail -50 "$log"; exit 1; }
