#!/usr/bin/env bash
# Prints the goods-classification benchmark table: MB/s per core of the classifier
# (full default ruleset, 20,000 generated invoice lines read in order from one buffer,
# as a batch reader does), of the same lines held apart in memory, and of the naive
# scan it is compared with (every term searched with `str::contains`), measured one
# after the other in each round, with the classifier's ratio to the naive scan; RUNS
# rounds (default 5).
#   scripts/bench-classify.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
CLASSIFY_RUNS="${1:-5}" cargo bench --bench classify -- --table-only 2>/dev/null | sed -n '/^corpus:/,$p'
