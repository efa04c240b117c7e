#!/usr/bin/env bash
# Start-up benchmark (issue 25): the default rules read from the artifact compiled into
# the binary against the same rules compiled from text (`--rules rules/`), measured in
# the same run, cold (a new process each time). Prints a table: median wall time and
# median CPU time (user + system, which a busy machine inflates less) of each path, the
# ratio text / artifact, and peak memory of a one-query run.
#   scripts/bench-start.sh [RUNS]            (default 7)
# EMBARGO_BIN: a built binary to use instead of building target/release/embargo.
# EMBARGO_SDN: folder with sdn.csv-style files for the import + compile row (default
# ../shared/data/ofac when present: sdn-2024-05.csv with alt-2025-12.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-7}"
BIN="${EMBARGO_BIN:-}"
if [[ -z "$BIN" ]]; then
    cargo build --release --quiet -p embargo-cli
    BIN=target/release/embargo
fi
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# One order of the dev set, its expectations dropped.
python3 - tests/fixtures/orders/orders-dev.jsonl > "$WORK/order.jsonl" <<'EOF'
import json, sys
o = json.loads(open(sys.argv[1]).readline())
print(json.dumps({k: v for k, v in o.items() if k in ("id", "parties", "goods", "route")}))
EOF

# median of "wall cpu" lines (seconds): prints "wall_ms cpu_ms"
median() {
    python3 -c '
import statistics, sys
rows = [l.split() for l in sys.stdin if len(l.split()) == 2]
w = statistics.median(float(r[0]) for r in rows) if rows else 0
c = statistics.median(float(r[1]) for r in rows) if rows else 0
print(round(w * 1000), round(c * 1000))'
}

# Runs "$@" RUNS times (after one warm-up), each under /usr/bin/time.
timed() {
    "$@" >/dev/null 2>&1 || true
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2 + $3}'
    done | median
}

peak() {
    /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1
}

row() {
    local what="$1" text="$2" art="$3"
    read -r tw tc <<<"$text"
    read -r aw ac <<<"$art"
    awk -v w="$what" -v tw="$tw" -v tc="$tc" -v aw="$aw" -v ac="$ac" 'BEGIN {
        printf "| %s | %d ms (%d cpu) | %d ms (%d cpu) | %.1fx (%.1fx cpu) |\n",
            w, tw, tc, aw, ac, tw / (aw ? aw : 1), tc / (ac ? ac : 1) }'
}

NAME="Korea Kwangson Banking Corp"
echo "| measure (median of $RUNS cold runs) | text (--rules rules/) | artifact (embedded) | text / artifact |"
echo "| --- | --- | --- | --- |"
row "match NAME" "$(timed "$BIN" match --rules rules "$NAME")" "$(timed "$BIN" match "$NAME")"
row "screen one order" "$(timed "$BIN" screen --rules rules "$WORK/order.jsonl")" \
    "$(timed "$BIN" screen "$WORK/order.jsonl")"
row "classify one line" "$(timed "$BIN" classify --rules rules "Lexus LX570 SUV")" \
    "$(timed "$BIN" classify "Lexus LX570 SUV")"

# Reload: the service started on each path, then POST /v1/reload timed RUNS times.
reload() {
    local port=$((20000 + RANDOM % 20000))
    "$BIN" serve --addr "127.0.0.1:$port" "$@" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    for _ in $(seq "$RUNS"); do
        curl -s -o /dev/null -w "%{time_total} 0\n" -X POST "http://127.0.0.1:$port/v1/reload"
    done | median
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
    SERVER=
}
row "serve reload (wall only)" "$(reload --rules rules)" "$(reload)"

echo
echo "| peak memory, match NAME | text | artifact |"
echo "| --- | --- | --- |"
echo "| max RSS | $(peak "$BIN" match --rules rules "$NAME") KB | $(peak "$BIN" match "$NAME") KB |"

SDN="${EMBARGO_SDN:-../shared/data/ofac}"
if [[ -f "$SDN/sdn-2024-05.csv" && -f "$SDN/alt-2025-12.csv" ]]; then
    echo
    echo "| full SDN list | wall | cpu |"
    echo "| --- | --- | --- |"
    read -r w c <<<"$(timed "$BIN" import ofac-sdn "$SDN/sdn-2024-05.csv" "$SDN/alt-2025-12.csv" --as-of 2024-05-03 -o "$WORK/sdn.emb")"
    echo "| import (sdn + alt) | $w ms | $c ms |"
    mkdir -p "$WORK/sdn"
    cp "$WORK/sdn.emb" "$WORK/sdn/"
    read -r w c <<<"$(timed "$BIN" compile --add-rules "$WORK/sdn" -o "$WORK/sdn.embc")"
    echo "| compile (embedded rules + it, name index) | $w ms | $c ms |"
    read -r w c <<<"$(timed "$BIN" match --rules "$WORK/sdn.embc" "$NAME")"
    echo "| match NAME with it | $w ms | $c ms |"
fi
