#!/usr/bin/env bash
# Prints the name-matching benchmark table: index search vs a brute-force Jaro-Winkler
# scan over the OFAC SDN list (with the ratio), index build time and memory, and a
# synthetic list (default 1,000,000 entities: build time, memory, p50/p99 latency).
#   scripts/bench-table.sh [N_SYNTHETIC]
set -euo pipefail
cd "$(dirname "$0")/.."
EMBARGO_BENCH_SYNTHETIC="${1:-1000000}" cargo bench --bench matching -- --table-only 2>/dev/null | sed -n '/^| measure/,$p'
