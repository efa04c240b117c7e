#!/usr/bin/env bash
# Screens N generated orders (default 1,000,000; examples/gen_orders.rs) with the full
# default ruleset embedded in the binary, and, as the baseline measured in the same
# run, with the three-entity ruleset of tests/fixtures/rules/valid/dprk-mini (the
# same reading, parsing, goods classification and writing, almost no list). Prints
# wall time, orders/s, peak memory (max RSS) and the ratio to the baseline.
#
# Usage: scripts/bench-screen.sh [N] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
threads="${2:-0}"

cargo build --release --quiet --bin embargo --example gen_orders
orders=target/bench-orders-$n.jsonl
[ -s "$orders" ] || target/release/examples/gen_orders "$n" > "$orders"
mb=$(du -m "$orders" | cut -f1)

run() {
    # $1 = label, rest = extra args; prints "label seconds max-rss-KB".
    local label=$1; shift
    local t
    t=$( { /usr/bin/time -f '%e %M' target/release/embargo screen --no-progress \
        --threads "$threads" "$@" -o /dev/null "$orders" 2>&1 >/dev/null; } | tail -1)
    echo "$label $t"
}

{
    run baseline --rules tests/fixtures/rules/valid/dprk-mini
    run full-default-rules
} | awk -v n="$n" -v mb="$mb" '
    BEGIN {
        printf "%d orders (%d MB of JSON lines), %s\n\n", n, mb, "wall time includes loading the rules"
        printf "| pass | seconds | orders/s | peak memory (MB) | x baseline time |\n"
        printf "| --- | ---: | ---: | ---: | ---: |\n"
    }
    {
        if ($1 == "baseline") base = $2
        printf "| %s | %.1f | %.0f | %.0f | %.1f |\n", $1, $2, n / $2, $3 / 1024, $2 / base
    }'
