#!/usr/bin/env python3
"""Scores the decisions of `embargo screen` on a labelled orders file.

Usage: python3 eval/score_orders.py [EVAL_JSONL] [--bin PATH] [--rules PATH ...]

Feeds every field except `expect` and `why` to `embargo screen` (one order per line),
compares `decision` with `expect`, and prints the accuracy, the 3x3 confusion matrix
(rows: expected, columns: decided), blocks missed (expected block, decided clear),
block/review confusion in both directions, and every wrong decision with the rules
that fired. A rejected order counts as a wrong decision. Python 3 stdlib only.
"""

import argparse
import json
import os
import subprocess
import sys

LABELS = ("expect", "why")
DECISIONS = ("block", "review", "clear")


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval", nargs="?", default="/work/shared/eval/orders-dev.jsonl")
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "embargo"))
    ap.add_argument("--rules", action="append", default=[])
    args = ap.parse_args()

    with open(args.eval, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    stdin = "".join(
        json.dumps({k: v for k, v in c.items() if k not in LABELS}, ensure_ascii=False) + "\n"
        for c in cases
    )
    cmd = [args.bin, "screen"]
    for r in args.rules:
        cmd += ["--rules", r]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        sys.stderr.write(proc.stderr)
        return 1
    decided = {}
    for line in proc.stdout.splitlines():
        d = json.loads(line)
        decided[d["id"]] = d

    matrix = {e: {d: 0 for d in DECISIONS + ("rejected",)} for e in DECISIONS}
    wrong = []
    for c in cases:
        d = decided.get(c["id"])
        got = d["decision"] if d else "rejected"
        matrix[c["expect"]][got] += 1
        if got != c["expect"]:
            wrong.append((c, d))
    right = sum(matrix[e][e] for e in DECISIONS)
    print(f"file: {args.eval} ({len(cases)} orders)")
    print(f"accuracy {right / max(len(cases), 1):.3f} ({right}/{len(cases)})")
    print("confusion (rows expected, columns decided):")
    print("  expected  " + "".join(f"{d:>9}" for d in DECISIONS + ("rejected",)))
    for e in DECISIONS:
        print(f"  {e:<9} " + "".join(f"{matrix[e][d]:>9}" for d in DECISIONS + ("rejected",)))
    print(f"blocks missed (block -> clear): {matrix['block']['clear']}")
    print(f"block -> review (held, not stopped): {matrix['block']['review']}")
    print(f"review -> block (over-blocking): {matrix['review']['block']}")
    for c, d in wrong:
        got = d["decision"] if d else "rejected"
        print(f"WRONG {c['id']}: expected {c['expect']}, decided {got} | {c.get('why', '')}")
        for h in (d or {}).get("hits", []):
            what = h.get("entity") or h.get("category") or h.get("place") or ""
            score = f" {h['score']:.3f}" if "score" in h else ""
            print(f"    {h['rule']} {h.get('field', '')} {what} {h.get('name', '')}{score}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
