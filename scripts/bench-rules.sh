#!/usr/bin/env bash
# Runs the rule-language benchmark (benches/rules.rs) in release mode and prints
# MB, seconds per pass, MB/s and the ratio of each pass to the naive baseline
# (counting lines and words over the same bytes), from criterion's estimates.
#
# Usage: scripts/bench-rules.sh [extra criterion args]
set -euo pipefail
cd "$(dirname "$0")/.."

cargo bench --bench rules -- "$@" >&2

dir=target/criterion/rules
row() {
    # Mean time per iteration (ns) and bytes per iteration, from criterion's JSON.
    local ns bytes
    ns=$(jq '.mean.point_estimate' "$dir/$1/new/estimates.json")
    bytes=$(jq '.throughput.Bytes' "$dir/$1/new/benchmark.json")
    echo "$1 $bytes $ns"
}

{
    row baseline
    row parse
    row load_str
    row drop
} | awk '
    BEGIN { printf "%-10s %8s %10s %10s %12s\n", "pass", "MB", "seconds", "MB/s", "x baseline" }
    {
        name[NR] = $1; mb[NR] = $2 / 1e6; s[NR] = $3 / 1e9
        if ($1 == "baseline") base = s[NR]
    }
    END {
        for (k = 1; k <= NR; k++)
            printf "%-10s %8.1f %10.3f %10.1f %12.1f\n", name[k], mb[k], s[k], mb[k] / s[k], s[k] / base
    }'
