#!/usr/bin/env python3
"""Scores the luxury flag of `embargo classify --jsonl` on a labelled goods file.

Usage: python3 eval/score_goods.py [EVAL_JSONL] [--bin PATH] [--rules PATH ...]

Sends {id, description, hs, value, currency} (fields present on the line only) to
`embargo classify --jsonl`, predicts luxury when any returned category carries the tag
`luxury`, and prints precision, recall, the four confusion counts, false positives and
false negatives by description, and recall per labelled category. Python 3 stdlib only.
"""

import argparse
import collections
import json
import os
import subprocess
import sys

FIELDS = ("id", "description", "hs", "value", "currency")


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("eval", nargs="?", default="/work/shared/eval/goods-dev.jsonl")
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "embargo"))
    ap.add_argument("--rules", action="append", default=[])
    args = ap.parse_args()

    with open(args.eval, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    stdin = "".join(
        json.dumps({k: c[k] for k in FIELDS if c.get(k) is not None}, ensure_ascii=False) + "\n"
        for c in cases
    )
    cmd = [args.bin, "classify", "--jsonl"]
    for r in args.rules:
        cmd += ["--rules", r]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        sys.stderr.write(proc.stderr)
        return 1
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(results) != len(cases):
        sys.stderr.write(f"expected {len(cases)} results, got {len(results)}\n{proc.stderr}")
        return 1

    tp = fp = tn = fn = 0
    fps, fns = [], []
    per_cat = collections.defaultdict(lambda: [0, 0])
    for case, res in zip(cases, results):
        if res.get("id") != case.get("id"):
            sys.stderr.write(f"result order mismatch at {case.get('id')}\n")
            return 1
        cats = res.get("categories", [])
        lux = [c for c in cats if "luxury" in c.get("tags", [])]
        predicted = bool(lux)
        expected = bool(case.get("luxury"))
        why = "; ".join(
            f"{c['id']}[{'|'.join(e['text'] for e in c.get('evidence', []))}]" for c in lux
        )
        if expected:
            per_cat[case.get("category") or "?"][1] += 1
            if predicted:
                per_cat[case.get("category") or "?"][0] += 1
        if expected and predicted:
            tp += 1
        elif expected:
            fn += 1
            fns.append((case["id"], case["description"], case.get("hs"), case.get("category")))
        elif predicted:
            fp += 1
            fps.append((case["id"], case["description"], case.get("hs"), why))
        else:
            tn += 1

    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"file: {args.eval} ({len(cases)} lines)")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    print(f"confusion: TP {tp}  FP {fp}  TN {tn}  FN {fn}")
    print(f"false positives ({len(fps)}):")
    for i, d, hs, w in fps:
        print(f"  {i} {d!r} hs={hs} -> {w}")
    print(f"false negatives ({len(fns)}):")
    for i, d, hs, cat in fns:
        print(f"  {i} {d!r} hs={hs} ({cat})")
    print("recall per category:")
    for cat, (hit, total) in sorted(per_cat.items()):
        print(f"  {cat:28s} {hit}/{total}")
    if proc.stderr.strip():
        print("stderr from embargo:\n" + proc.stderr.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
