#!/usr/bin/env bash
# Start-up of the Python package's Screener (issue 25's target: under 100 ms from the
# compiled rules), cold: a new Python process for every run, `import embargo` done
# before the clock starts. Rows, each the median of RUNS runs (after one warm-up):
#
#   - Screener()                         the embedded rules (the artifact built with the package)
#   - Screener(rules=["rules.embc"])     the same rules from an artifact file (`embargo compile`)
#   - Screener(rules=["rules/"])         the same rules from their text, for comparison
#
# and for each the wall time, the CPU time (user + system of every thread; a busy
# machine inflates it less than wall time) and the ratio to the text row.
#
#   scripts/bench-python-start.sh [RUNS]     (default 7)
#
# Needs the virtual environment scripts/test-python.sh makes (.venv-ci, or
# $EMBARGO_VENV) with the package installed. Timings only: nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-7}"
venv="$(pwd)/${EMBARGO_VENV:-.venv-ci}"
py="$venv/bin/python"
if ! "$py" -c "import embargo" 2>/dev/null; then
    echo "no Python environment with embargo at $venv: run scripts/test-python.sh first" >&2
    exit 1
fi
cargo build --release --locked --quiet -p embargo-cli
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
target/release/embargo compile -o "$work/rules.embc" >/dev/null

"$py" - "$runs" "$work/rules.embc" "$(pwd)/rules" <<'EOF'
import statistics, subprocess, sys

runs, artifact, text = int(sys.argv[1]), sys.argv[2], sys.argv[3]
# One cold start: the process prints the wall and CPU seconds of building a Screener.
probe = """
import sys, time
import embargo
rules = sys.argv[1:] or None
w, c = time.perf_counter(), time.process_time()
s = embargo.Screener(rules=rules)
print(time.perf_counter() - w, time.process_time() - c, s.ruleset)
"""

def start(*rules):
    out = subprocess.run([sys.executable, "-c", probe, *rules], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), out[2]

rows = [("Screener()  (embedded, artifact)", ()),
        ("Screener(rules=['rules.embc'])", (artifact,)),
        ("Screener(rules=['rules/'])  (text)", (text,))]
results = []
for name, rules in rows:
    start(*rules)  # warm-up: page cache
    times = [start(*rules) for _ in range(runs)]
    hashes = {t[2] for t in times}
    results.append((name, statistics.median(t[0] for t in times),
                    statistics.median(t[1] for t in times), hashes))
if len(set().union(*(r[3] for r in results))) != 1:
    sys.exit("the three starts did not load the same ruleset")
text_wall, text_cpu = results[-1][1], results[-1][2]
print(f"Python Screener start, median of {runs} cold runs (import excluded)")
print(f"{'start':<36} {'wall ms':>8} {'cpu ms':>8} {'text/this (cpu)':>16}")
for name, wall, cpu, _ in results:
    print(f"{name:<36} {wall * 1000:>8.0f} {cpu * 1000:>8.0f} {text_cpu / cpu:>15.1f}x")
EOF
