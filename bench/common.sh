# Shared by the load scripts: wrk, a release build, a server on a fresh data
# folder, logging in, and a wrk run that prints p50/p95/p99.
# Sourced after `root`, `port` and `secs` are set.

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
# KEHOACH_BIN runs an already built binary (CI uses its debug build).
if [ -n "${KEHOACH_BIN:-}" ]; then
  bin="$KEHOACH_BIN"
else
  cargo build --release --quiet --bin kehoach --manifest-path "$root/Cargo.toml"
  bin="$root/target/release/kehoach"
fi
data="$(mktemp -d)"
export KEHOACH_DATA_DIR="$data" RUST_LOG=warn
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$data"; true' EXIT

cat >"$data/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("  requests/s %.0f, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# start_server [--demo]
start_server() {
  "$bin" serve "$@" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return; sleep 0.2; done
  cat "$data/server.log"; exit 1
}

# login USER PASSWORD → the session cookie's value
login() {
  curl -fsS -o /dev/null -D - -d "username=$1&password=$2" "http://127.0.0.1:$port/login" |
    tr -d '\r' | awk -F'[ ;]' '/^[Ss]et-[Cc]ookie: kh_session=/ { print $2 }'
}

# run LABEL PATH COOKIE CONNECTIONS
run() {
  echo "$1 ($2), wrk -t2 -c$4 -d${secs}s:"
  wrk -t2 -c"$4" -d"${secs}s" -H "Cookie: $3" -s "$data/p95.lua" "http://127.0.0.1:$port$2" | grep -E '^  requests'
}
