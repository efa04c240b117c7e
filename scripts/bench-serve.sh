#!/usr/bin/env bash
# Load test of `embargo serve` on this machine: starts the release binary on the
# default (embedded) rules with an audit log, then prints a table of
#   - GET /healthz, closed loop: the baseline (HTTP and runtime overhead alone);
#   - POST /v1/screen, one order per request, closed loop: the most it answers;
#   - POST /v1/screen at a fixed 1,000 and 2,000 (the target) requests/s: latency;
#   - the same closed loop with a hard mix (1 order in 4 names a DPRK-listed party,
#     against 1 in 25 above): listed names cost the engine several times more;
# and, each on a fresh server (peak memory is per process),
#   - overload: 64 connections against 2 screening slots and a queue of 2, closed
#     loop: the excess is refused 429 at once (the 429s column) while the admitted
#     requests keep their latency;
#   - 1,000 connections posting 1 MB batches against the default limits: the peak
#     memory stays bounded by (max_concurrency + max_queue) * max_body_bytes.
# The load generator (cli/examples/loadgen.rs) runs on the same cores as the server,
# so the figures are a floor. Traffic goes to 127.0.0.1 only; every run is bounded.
#   scripts/bench-serve.sh [SECONDS_PER_RUN] [CONNECTIONS]
# EMBARGO_BIN=path runs another build of the server (to compare with the same load).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-10}"
CONNECTIONS="${2:-8}"

cargo build --release --quiet -p embargo-cli --bin embargo --example loadgen
server_bin="${EMBARGO_BIN:-target/release/embargo}"
work="$(mktemp -d)"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=""
}
cleanup() {
    stop_server
    rm -rf "$work"
}
trap cleanup EXIT

# Starts a server with the settings file $1 and sets $addr and $server_pid.
start_server() {
    stop_server
    rm -f "$work/stderr"
    env -u EMBARGO_TOKEN "$server_bin" --config "$1" serve --addr 127.0.0.1:0 \
        --audit-log "$work/audit.jsonl" 2>"$work/stderr" &
    server_pid=$!
    addr=""
    for _ in $(seq 1 600); do
        addr="$(sed -n 's/.*listening on http:\/\/\([0-9.:]*\).*/\1/p' "$work/stderr" | head -n1)"
        [ -n "$addr" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "server did not start" >&2
    cat "$work/stderr" >&2
    exit 1
}

# NAME_CACHE=0 turns off the memo of party-name searches: the load generator cycles
# through a few dozen names, which the memo would otherwise answer from memory.
printf '[batch]\nname_cache = %s\n' "${NAME_CACHE:-200000}" > "$work/embargo.toml"
start_server "$work/embargo.toml"
grep '^embargo: ruleset' "$work/stderr" || true
echo "machine: $(nproc) cores; server and load generator share them"
echo

loadgen=target/release/examples/loadgen
run() { "$loadgen" --addr "$addr" --server-pid "$server_pid" "$@"; }
# Warm-up: first requests touch cold pages of the index.
run --seconds 2 --connections "$CONNECTIONS" >/dev/null
run --get --path /healthz --seconds "$SECONDS_PER_RUN" \
    --connections "$CONNECTIONS" --label "GET /healthz (baseline)" --header
run --seconds "$SECONDS_PER_RUN" --connections "$CONNECTIONS" \
    --label "POST /v1/screen, 1 order, 1 in 25 listed"
run --seconds "$SECONDS_PER_RUN" --connections 16 --rate 1000 \
    --label "POST /v1/screen, 1 order, 1 in 25 listed"
run --seconds "$SECONDS_PER_RUN" --connections 16 --rate 2000 \
    --label "POST /v1/screen, 1 order, 1 in 25 listed"
run --seconds "$SECONDS_PER_RUN" --connections "$CONNECTIONS" \
    --hard-every 4 --label "POST /v1/screen, 1 order, 1 in 4 listed"
errors="$(grep -c ' -> [45]' "$work/stderr" || true)"
audit_lines="$(wc -l < "$work/audit.jsonl")"

printf '[batch]\nname_cache = 0\n[server]\nmax_concurrency = 2\nmax_queue = 2\n' > "$work/overload.toml"
start_server "$work/overload.toml"
run --seconds 2 --connections 4 >/dev/null
run --seconds "$SECONDS_PER_RUN" --connections 64 \
    --label "POST /v1/screen, 1 order, overload: 2 slots, queue of 2"

printf '[batch]\nname_cache = 0\n' > "$work/memory.toml"
start_server "$work/memory.toml"
run --seconds 2 --connections 4 >/dev/null
run --seconds "$SECONDS_PER_RUN" --connections 1000 --batch 3000 \
    --label "POST /v1/screen, 1 MB batches of 3,000 orders, default limits"
stop_server

# The engine alone on the same orders, no HTTP: `embargo screen` on one thread; its
# CPU per order (less the CPU of starting up, measured on a one-order file) is the
# floor under the service's CPU per request.
"$loadgen" --print-orders 4096 > "$work/orders.jsonl"
head -n1 "$work/orders.jsonl" > "$work/one.jsonl"
TIMEFORMAT='%U %S'
cpu() { { time target/release/embargo screen --threads 1 --no-progress "$1" -o /dev/null >/dev/null 2>&1; } 2>&1; }
startup="$(cpu "$work/one.jsonl")"
full="$(cpu "$work/orders.jsonl")"
engine_us="$(echo "$startup $full" | awk '{ printf "%.0f", (($3 + $4) - ($1 + $2)) * 1e6 / 4095 }')"
echo
echo "engine alone (embargo screen, same order mix, 1 thread, no HTTP): $engine_us µs CPU per order"
echo "first server: audit lines written: $audit_lines; error answers logged: $errors"
