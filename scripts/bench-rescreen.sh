#!/usr/bin/env bash
# Re-screening after a list update against a full screen, on the same N generated
# orders (default 1,000,000; examples/gen_orders.rs), measured in the same run:
#
#  1. `screen` with the default rules embedded in the binary: the previous decisions;
#  2. for each of two updates of 100 entities of the OFAC SDN list
#     (examples/update_list.rs: a third lifted, a third amended, a third new, chosen
#     evenly over the list), in a copy of rules/:
#       - `book`: two of the DPRK-listed parties the generated orders name are among
#         them (one lifted, one amended) and one new designation is close to a third;
#       - `spread`: none of the orders' counterparties is chosen;
#     `screen` with the updated rules (what a full re-screen costs: the baseline), then
#     `rescreen --previous` with them (only the orders that can change); both from the
#     rule text, then both from the rules compiled once (`embargo compile`, timed on its
#     own row): a team that takes a list update compiles it once for the day's screens,
#     its service and its re-screen.
#
# Prints wall and CPU time, orders/s and peak memory of each pass, the re-screen's share
# of the full screen's time, and checks that the re-screen wrote exactly the decisions
# that differ between the two full screens. CPU time is the steadier measure on a
# machine shared with other work.
#
# Usage: scripts/bench-rescreen.sh [N] [CHANGED_ENTITIES] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
changes="${2:-100}"
threads="${3:-0}"

cargo build --release --quiet --bin embargo --example gen_orders --example update_list
bin=target/release/embargo
work=target/bench-rescreen
mkdir -p "$work"
orders=target/bench-orders-$n.jsonl
[ -s "$orders" ] || target/release/examples/gen_orders "$n" > "$orders"

timed() {
    # $1 = label, rest = command; prints "label wall-s max-rss-KB cpu-s".
    local label=$1; shift
    local t
    t=$( { /usr/bin/time -f '%e %M %U %S' "$@" 2>&1 >/dev/null; } | tail -1)
    echo "$label $t" | awk '{ printf "%s %s %s %.2f\n", $1, $2, $3, $4 + $5 }'
}

# The decisions that differ between two full screens (decision, or the entities and
# categories hit) must be exactly those the re-screen wrote.
check() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
before, after, written = sys.argv[1:4]
def key(d):
    hits = sorted({(h.get("kind"), h.get("entity") or h.get("category")) for h in d["hits"]
                   if h.get("kind") in ("entity", "goods")})
    return d["decision"], hits
def read(path):
    with open(path) as f:
        return {d["id"]: d for d in map(json.loads, f)}
b, a, w = read(before), read(after), read(written)
expected = {i for i in a if key(a[i]) != key(b[i])}
same = set(w) == expected and all(key(w[i]) == key(a[i]) for i in w)
print(f"{len(expected)} decisions differ between the full screens; rescreen wrote {len(w)}: "
      f"{'the same' if same else 'NOT THE SAME'}")
PY
}

times="$work/times.txt"
: > "$times"
timed screen-before $bin screen --no-progress --threads "$threads" -o "$work/before.jsonl" "$orders" >> "$times"
for mode in book spread; do
    rm -rf "$work/rules-$mode" && cp -r rules "$work/rules-$mode"
    target/release/examples/update_list rules/lists/ofac-sdn.emb ofac-sdn "$changes" $mode \
        > "$work/rules-$mode/lists/ofac-sdn.emb" 2> "$work/update-$mode.txt"
    timed "compile-$mode" $bin compile "$work/rules-$mode" -o "$work/rules-$mode.embc" >> "$times"
    for form in text compiled; do
        rules="$work/rules-$mode"
        [ "$form" = compiled ] && rules="$work/rules-$mode.embc"
        timed "full-screen-after-$mode-$form" $bin screen --no-progress --threads "$threads" \
            --rules "$rules" -o "$work/after-$mode.jsonl" "$orders" >> "$times"
        timed "rescreen-$mode-$form" $bin rescreen --threads "$threads" --rules "$rules" \
            --previous "$work/before.jsonl" -o "$work/changed-$mode.jsonl" "$orders" \
            >> "$times"
        echo "$mode, $form rules: $(check "$work/before.jsonl" "$work/after-$mode.jsonl" \
            "$work/changed-$mode.jsonl")"
    done
    $bin rescreen --threads "$threads" --rules "$work/rules-$mode.embc" \
        --previous "$work/before.jsonl" -o /dev/null "$orders" 2>&1 \
        | grep -E '^(read|screened again)' | sed "s/^/$mode: /"
    echo "$mode: $(cat "$work/update-$mode.txt")"
done

echo
echo "$n orders ($(du -m "$orders" | cut -f1) MB), $changes SDN entities changed"
echo
awk -v n="$n" '
    BEGIN {
        printf "| pass | wall s | CPU s | orders/s | peak memory (MB) | share of the full screen: wall | CPU |\n"
        printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    }
    { label[NR] = $1; wall[NR] = $2; rss[NR] = $3; cpu[NR] = $4 }
    END {
        for (i = 1; i <= NR; i++) {
            full = i
            if (label[i] ~ /^rescreen-/) full = i - 1
            share = label[i] ~ /^rescreen-/ ? sprintf("%.1f%% | %.1f%%", 100 * wall[i] / wall[full], 100 * cpu[i] / cpu[full]) : "- | -"
            rate = label[i] ~ /^compile-/ ? "-" : sprintf("%.0f", n / wall[i])
            printf "| %s | %.1f | %.1f | %s | %.0f | %s |\n", label[i], wall[i], cpu[i], rate, rss[i] / 1024, share
        }
    }' "$times"
