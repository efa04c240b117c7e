#!/usr/bin/env python3
"""Scores `embargo match --jsonl` on labelled names and `embargo compare --jsonl` on
labelled cross-script pairs.

Usage: python3 eval/score_names.py [--names NAMES_JSONL] [--pairs PAIRS_JSONL]
                                   [--bin PATH] [--rules PATH ...] [--threshold T]

Names: every query goes to `match --jsonl --threshold 0` once (with a generous
`--limit`), and the sweep is computed from the returned scores, so one run gives
every threshold. A positive line is found at threshold t when its expected entity is
among the hits scoring >= t; a negative line (`expect: null`) is a false positive
when any hit scores >= t. Reported per threshold: precision (of the lines with a hit
at or above t, the share that are right), recall, the false-positive rate on
unrelated names (`n-*`) and the look-alikes (`l-*`) above t. At the chosen
threshold (default 0.8): the misses and false positives by name.

Pairs: share of `match: true` pairs scoring >= t and of `match: false` pairs below.
Python 3 stdlib only.
"""

import argparse
import json
import os
import subprocess
import sys


def run(cmd, lines):
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if proc.returncode not in (0, 2):
        sys.stderr.write(proc.stderr)
        sys.exit(1)
    return [json.loads(l) for l in proc.stdout.splitlines()]


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", default="/work/shared/eval/names-dev.jsonl")
    ap.add_argument("--pairs", default="/work/shared/eval/cross-script-dev.jsonl")
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "embargo"))
    ap.add_argument("--rules", action="append", default=[])
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args()
    rules = [x for r in args.rules for x in ("--rules", r)]

    with open(args.names, encoding="utf-8") as f:
        cases = [json.loads(l) for l in f if l.strip()]
    queries = [{"id": c["qid"], "name": c["name"], "kind": c.get("kind") or "any"} for c in cases]
    answers = {a["id"]: a["hits"] for a in run(
        [args.bin, "match", "--jsonl", "--threshold", "0.5", "--limit", "50"] + rules, queries)}

    def outcome(c, t):
        hits = [h for h in answers.get(c["qid"], []) if h["score"] >= t]
        if c.get("expect"):
            # A hit names one entry of its party and lists the others (`also`).
            return any(c["expect"] in [h["entity"]] + h.get("also", []) for h in hits), bool(hits)
        return False, bool(hits)

    pos = [c for c in cases if c.get("expect")]
    neg = [c for c in cases if not c.get("expect")]
    unrelated = [c for c in neg if c["qid"].startswith("n-")]
    lookalike = [c for c in neg if c["qid"].startswith("l-")]
    print(f"names: {args.names} ({len(pos)} positive, {len(unrelated)} unrelated, "
          f"{len(lookalike)} look-alike)")
    print("| threshold | precision | recall | FP rate (unrelated) | look-alikes above |")
    print("| --- | --- | --- | --- | --- |")
    for k in range(60, 96, 2):
        t = k / 100
        tp = sum(outcome(c, t)[0] for c in pos)
        wrong_hit = sum(1 for c in pos if outcome(c, t)[1] and not outcome(c, t)[0])
        fp = sum(outcome(c, t)[1] for c in neg)
        fp_n = sum(outcome(c, t)[1] for c in unrelated)
        fp_l = sum(outcome(c, t)[1] for c in lookalike)
        flagged = tp + wrong_hit + fp
        prec = tp / flagged if flagged else 1.0
        mark = " <- default" if abs(t - args.threshold) < 1e-9 else ""
        print(f"| {t:.2f} | {prec:.3f} | {tp / max(len(pos), 1):.3f} | "
              f"{fp_n / max(len(unrelated), 1):.4f} ({fp_n}) | {fp_l} / {len(lookalike)} |{mark}")
    t = args.threshold
    for c in pos:
        if not outcome(c, t)[0]:
            best = max((h["score"] for h in answers.get(c["qid"], []) if c["expect"] in [h["entity"]] + h.get("also", [])), default=0)
            print(f"MISS {c['qid']}: {c['name']!r} (listed {c.get('listed_as')!r}) best {best:.3f}")
    for c in neg:
        for h in answers.get(c["qid"], []):
            if h["score"] >= t:
                print(f"FP {c['qid']}: {c['name']!r} -> {h['entity']} {h['name']!r} {h['score']:.3f}")

    if args.pairs and os.path.exists(args.pairs):
        with open(args.pairs, encoding="utf-8") as f:
            pairs = [json.loads(l) for l in f if l.strip()]
        scores = run([args.bin, "compare", "--jsonl"],
                     [{"a": p["a"], "b": p["b"], "kind": p.get("kind") or "any"} for p in pairs])
        same = [(p, s["score"]) for p, s in zip(pairs, scores) if p["match"]]
        diff = [(p, s["score"]) for p, s in zip(pairs, scores) if not p["match"]]
        ok_same = sum(s >= t for _, s in same)
        ok_diff = sum(s < t for _, s in diff)
        print(f"\ncross-script: {args.pairs}: same-name pairs >= {t}: {ok_same}/{len(same)}; "
              f"different-name pairs below: {ok_diff}/{len(diff)}")
        for p, s in same:
            if s < t:
                print(f"  below: {p['a']!r} ~ {p['b']!r} {s:.3f}")
        for p, s in diff:
            if s >= t:
                print(f"  above: {p['a']!r} ~ {p['b']!r} {s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
