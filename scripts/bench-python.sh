#!/usr/bin/env bash
# Throughput of the Python package and of Spark against the `embargo` command, on the
# same generated orders, the same cores and in the same run, as a table of ratios:
#
#   - `embargo screen orders.parquet -o decisions.parquet` (the command, every core);
#   - `Screener.screen_arrow` on the same Parquet file read with pyarrow, decisions
#     written back as Parquet (every core, one call); target >= 80% of the command;
#   - examples/spark_screen.py on Spark local[1] and local[2] (wall time of the whole
#     job, JVM start and one Screener per worker included); targets: local[2] >= 1.8x
#     local[1]; local[2] >= 60% of the command;
#   - Spark local[1] held to one core (`taskset`, JVM and worker alike): local[1] alone
#     uses both cores (the JVM reads and writes on one while the worker screens on the
#     other), so this is the run that asks what a second core adds (whole job and
#     running session);
#   - `embargo screen --threads 1` held to one core: what a second core adds to the
#     engine itself, the reference for what it can add to a Spark job on this machine;
#   - the same on a running session (JVM and Python workers started by a first, small
#     job; the timed job screens the whole table): what a cluster whose executors are
#     already up spends per order, the start-up of the JVM left out.
#
#   scripts/bench-python.sh [N_ORDERS]     (default 1,000,000)
#
# Needs the virtual environment scripts/test-python.sh makes (.venv-ci, or
# $EMBARGO_VENV) with the package installed. Timings only: nothing is asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-1000000}"
venv="$(pwd)/${EMBARGO_VENV:-.venv-ci}"
if ! "$venv/bin/python" -c "import embargo, pyspark" 2>/dev/null; then
    echo "no Python environment with embargo and pyspark at $venv: run scripts/test-python.sh first" >&2
    exit 1
fi
py="$venv/bin/python"
export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"

cargo build --release --locked --quiet -p embargo-cli
cargo build --release --locked --quiet --example gen_orders
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "generating $n orders ..." >&2
target/release/examples/gen_orders "$n" > "$work/orders.jsonl"
# Row groups of 16k orders, so that Spark splits the file among its cores in even
# parts (it hands out whole row groups).
"$py" - "$work/orders.jsonl" "$work/orders.parquet" <<'EOF'
import json, sys
import pyarrow.parquet as pq
import embargo
src, dst = sys.argv[1], sys.argv[2]
writer = None
chunk = []
def flush():
    global writer
    t = embargo.orders_to_arrow(chunk)
    writer = writer or pq.ParquetWriter(dst, t.schema)
    writer.write_table(t, row_group_size=16384)
    chunk.clear()
with open(src) as f:
    for line in f:
        chunk.append(json.loads(line))
        if len(chunk) == 65536:
            flush()
if chunk:
    flush()
writer.close()
EOF
# The first two row groups alone, for the running session's first job.
"$py" -c 'import sys, pyarrow.parquet as pq; f = pq.ParquetFile(sys.argv[1]); pq.write_table(f.read_row_groups(range(min(2, f.num_row_groups))), sys.argv[2])' \
    "$work/orders.parquet" "$work/small.parquet"

# Each run timed by a sampler of its process tree: wall seconds, and the CPU seconds
# (user + system) of every process under it, read from /proc every 0.2 s (Spark's JVM
# and Python workers are not waited for by the driver, so /usr/bin/time would miss
# them). CPU time is the figure a machine shared with other work inflates less.
cat > "$work/proctree.py" <<'EOF'
import os
TICK = os.sysconf("SC_CLK_TCK")
def tree_cpu(root):
    """CPU seconds (user + system) so far of each live process under `root`, by pid."""
    procs = {}
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        f = stat[stat.rfind(")") + 2:].split()
        procs[int(p)] = (int(f[1]), (int(f[11]) + int(f[12])) / TICK)
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, (ppid, _) in procs.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grown = True
    return {pid: procs[pid][1] for pid in tree if pid in procs}
EOF
cat > "$work/timed.py" <<'EOF'
import subprocess, sys, time
from proctree import tree_cpu
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
child = subprocess.Popen(cmd)
cpu = {}
while child.poll() is None:
    cpu.update(tree_cpu(child.pid))
    time.sleep(0.2)
with open(out, "w") as f:
    f.write(f"{time.perf_counter() - start:.2f} {sum(cpu.values()):.2f}\n")
sys.exit(child.returncode)
EOF
timed() {
    local name="$1"
    shift
    "$py" "$work/timed.py" "$work/$name.time" "$@"
}
cpu_of() { awk '{ print $2 }' "$work/$1.time"; }

timed cli target/release/embargo screen "$work/orders.parquet" -o "$work/cli.parquet" 2>/dev/null
cli=$(awk '{ print $1 }' "$work/cli.time")
# The command on one core: what a second core adds to the engine itself, the ceiling
# of what it can add to a Spark job on this machine.
timed cli1 taskset -c 0 target/release/embargo screen --threads 1 "$work/orders.parquet" \
    -o "$work/cli1.parquet" 2>/dev/null
cli1=$(awk '{ print $1 }' "$work/cli1.time")

arrow=$(timed arrow "$py" - "$work/orders.parquet" "$work/py.parquet" <<'EOF'
import sys, time
import pyarrow.parquet as pq
import embargo
s = embargo.Screener()   # built before the clock starts, as the command's index is not
t0 = time.perf_counter()
decisions = s.screen_arrow(pq.read_table(sys.argv[1]))
pq.write_table(decisions, sys.argv[2])
print(f"{time.perf_counter() - t0:.2f}")
EOF
)

spark() {
    local master="$1" name="$2"
    shift 2
    timed "spark$name" "$@" "$py" examples/spark_screen.py --master "$master" "$work/orders.parquet" "$work/spark-$name" 2>"$work/spark-$name.log"
    awk '{ print $1 }' "$work/spark$name.time"
}
spark1=$(spark 'local[1]' 1)
spark2=$(spark 'local[2]' 2)
spark1pin=$(spark 'local[1]' 1pin taskset -c 0)

# A running session: a small first job starts the JVM, the Python workers and their
# screeners; then the whole table is timed, wall and the CPU of the session's process
# tree (read from /proc before and after) alike.
running() {
    local master="$1" name="$2"
    shift 2
    "$@" "$py" - "$work" "$master" "$work/small.parquet" "$work/orders.parquet" "$work/running-$name" 2>"$work/running-$name.log" <<'EOF'
import os, sys, time
sys.path[:0] = ["examples", sys.argv[1]]
import spark_screen
from proctree import tree_cpu
master, small, full, out = sys.argv[2:6]
cpu = lambda: sum(tree_cpu(os.getpid()).values())
spark = spark_screen.session(master)
try:
    spark_screen.screen_table(spark, small, out + "-first")
    c0, t0 = cpu(), time.perf_counter()
    spark_screen.screen_table(spark, full, out)
    print(f"{time.perf_counter() - t0:.2f} {cpu() - c0:.2f}")
finally:
    spark.stop()
EOF
}
read -r run1 run1_cpu < <(running 'local[1]' 1)
read -r run2 run2_cpu < <(running 'local[2]' 2)
read -r run1pin run1pin_cpu < <(running 'local[1]' 1pin taskset -c 0)

"$py" - "$n" "$cli" "$arrow" "$spark1" "$spark2" "$(nproc)" \
    "$(cpu_of cli)" "$(cpu_of arrow)" "$(cpu_of spark1)" "$(cpu_of spark2)" \
    "$run1" "$run2" "$run1_cpu" "$run2_cpu" "$spark1pin" "$(cpu_of spark1pin)" "$run1pin" "$run1pin_cpu" \
    "$cli1" "$(cpu_of cli1)" <<'EOF'
import sys
n = int(sys.argv[1]); cli, arrow, s1, s2 = map(float, sys.argv[2:6]); cores = sys.argv[6]
cpu = list(map(float, sys.argv[7:11]))
r1, r2 = map(float, sys.argv[11:13]); cpu += map(float, sys.argv[13:15])
s1pin, r1pin = float(sys.argv[15]), float(sys.argv[17])
cpu += [float(sys.argv[16]), float(sys.argv[18])]
cli1 = float(sys.argv[19]); cpu.append(float(sys.argv[20]))
rate = lambda s: n / s
print(f"{n:,} generated orders, {cores} cores, Parquet in and out")
print(f"{'run':<38} {'seconds':>8} {'orders/s':>10} {'CPU s':>8} {'CPU us/order':>13}")
for (name, s), c in zip([("embargo screen (CLI)", cli), ("screen_arrow (one call)", arrow),
                         ("Spark local[1]", s1), ("Spark local[2]", s2),
                         ("Spark local[1], running session", r1),
                         ("Spark local[2], running session", r2),
                         ("Spark local[1], one core", s1pin),
                         ("Spark local[1], one core, running", r1pin),
                         ("embargo screen, one thread, one core", cli1)], cpu):
    print(f"{name:<38} {s:>8.2f} {rate(s):>10,.0f} {c:>8.1f} {c / n * 1e6:>13.0f}")
print()
print(f"{'ratio':<38} {'value':>8} {'target':>10}")
print(f"{'CLI two cores / one core (reference)':<38} {cli1 / cli:>8.2f} {'-':>10}")
for name, v, t in [("screen_arrow / CLI", rate(arrow) / rate(cli), 0.80),
                   ("Spark local[2] / local[1]", s1 / s2, 1.80),
                   ("local[2] / local[1] on one core", s1pin / s2, 1.80),
                   ("Spark local[2] / CLI", rate(s2) / rate(cli), 0.60),
                   ("running: local[2] / local[1]", r1 / r2, 1.80),
                   ("running: local[2] / local[1] one core", r1pin / r2, 1.80),
                   ("running: local[2] / CLI", rate(r2) / rate(cli), 0.60)]:
    print(f"{name:<38} {v:>8.2f} {t:>9.2f}  {'met' if v >= t else 'NOT met'}")
EOF
