#!/usr/bin/env python3
"""Fits how the evidence of a pair of names combines into a score, on the tuning half
of the evaluation sets only, and writes src/matching/score/model_coef.rs.

Usage (after `cargo build --release`, from the repository root; needs numpy and scipy):
    python3 scripts/fit-name-model.py [--bin target/release/embargo] [--dry-run]

1. Pairs with their features. Every tuning-half query of eval/names/ is screened with
   `embargo match --jsonl` (down to a low score, so that weak pairs count too) or
   compared with `embargo compare --jsonl --explain`; each hit's explanation lists its
   features (`evidence: share=0.942 (...), ...`). A hit is a positive when it names the
   query's party, a negative otherwise: unlisted names and look-alikes hit only
   negatives, a held-out alias or a changed listed name hits its party (positive) and
   others (negatives), and a homonym hits a listed person of its name who is another
   person (negative: the name alone cannot tell them apart).
2. A logistic model, the log-odds linear in the features, fitted by maximum likelihood
   with a small ridge penalty; each set weighs the same within its class and both
   classes weigh the same, so that 0.5 means even odds for a pair retrieval met. The
   features for a match (share, coverage_min, identical) are kept non-negative and all
   others non-positive (L-BFGS-B bounds): evidence against never raises a score, and
   retrieval can bound a score from the aligned shares.
3. The party's own data (date of birth, nationality, identifiers) adds log-likelihood
   ratios measured on the lists: how often two entries of one person (on two lists,
   linked by a shared identifier) agree, against how often two different listed
   persons do (all pairs of listed persons), with add-one smoothing.

The review and block thresholds of the shipped rules are then read off the tuning half
(printed at the end; see docs/MATCHING.md for how).
"""

import argparse
import collections
import importlib.util
import itertools
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
from scipy.optimize import minimize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "matching", "score", "model_coef.rs")

# In the order of `model::NAMES` (src/matching/score/model.rs), which a test checks.
NAMES = ["share", "coverage_min", "identical", "generic", "little_info", "common_name",
         "open_both", "open_max", "kind_differs", "legal_conflict", "legal_one_sided",
         "company_vs_bare", "order_differs", "initials_only", "weak_alias", "short_form",
         "abroad_generic", "abroad_distinctive", "two_koreas", "elsewhere_than_nationality",
         "named_country_differs", "country_mismatch"]
FOR = {"share", "coverage_min", "identical"}
RIDGE = 1e-3
FEATURE = re.compile(r"(\w+)=(-?[\d.]+) \(")


def load_names_eval():
    spec = importlib.util.spec_from_file_location("names_eval", os.path.join(ROOT, "eval", "names.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def features(explanation):
    x = [0.0] * len(NAMES)
    tail = explanation.split("; evidence:", 1)
    if len(tail) == 2:
        for name, value in FEATURE.findall(tail[1]):
            if name in NAMES:
                x[NAMES.index(name)] = float(value)
    return x


def pairs_from_match(ev, binary, rules, cases, set_name, positive_set):
    cmd = [binary, "match", "--jsonl", "--threshold", "0.02", "--limit", "10"]
    if rules:
        cmd += ["--rules", rules]
    queries = [{k: c[k] for k in ("id", "name", "country") if c.get(k)} for c in cases]
    by_id = {c["id"]: c for c in cases}
    out = []
    for a in ev.run(cmd, queries):
        c = by_id.get(a["id"])
        want = set(c.get("expect", [])) if positive_set else set()
        for h in a.get("hits", []):
            ents = {h["entity"], *h.get("also", [])}
            label = 1 if want & ents else 0
            out.append((set_name if label else set_name + "/other", features(h.get("explanation", "")), label))
    return out


def pairs_from_compare(ev, binary, pairs):
    answers = ev.run([binary, "compare", "--jsonl", "--explain"],
                     [{"a": p["a"], "b": p["b"], "kind": p["kind"]} for p in pairs])
    return [("cross-script" if p["match"] else "cross-script/other", features(a.get("explanation", "")),
             1 if p["match"] else 0) for p, a in zip(pairs, answers)]


def fit(rows):
    X = np.array([r[1] for r in rows], dtype=float)
    y = np.array([r[2] for r in rows], dtype=float)
    # Each set weighs the same within its class; both classes the same.
    sets = collections.Counter((r[0], r[2]) for r in rows)
    per_class = collections.Counter(k[1] for k in sets)
    w = np.array([1.0 / (sets[(r[0], r[2])] * per_class[r[2]]) for r in rows])
    w *= len(rows) / w.sum()
    Xb = np.hstack([np.ones((len(X), 1)), X])

    def loss(beta):
        z = Xb @ beta
        # log(1 + e^z) - y z, stable
        l = np.logaddexp(0, z) - y * z
        g = Xb.T @ (w * (1 / (1 + np.exp(-z)) - y))
        reg = RIDGE * np.sum(beta[1:] ** 2)
        return float(np.sum(w * l) + reg), g + np.concatenate([[0.0], 2 * RIDGE * beta[1:]])

    bounds = [(None, None)] + [((0, None) if n in FOR else (None, 0)) for n in NAMES]
    x0 = np.zeros(len(NAMES) + 1)
    res = minimize(loss, x0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 5000})
    return res.x, X, y


# ---------------------------------------------------------------------------------
# Likelihood ratios of the party's own data, from the lists
# ---------------------------------------------------------------------------------

def read_persons():
    ent_re = re.compile(r"entity (\S+) \{")
    persons = []
    for fn in sorted(os.listdir(os.path.join(ROOT, "rules", "lists"))):
        cur = None
        with open(os.path.join(ROOT, "rules", "lists", fn), encoding="utf-8") as f:
            for line in f:
                m = ent_re.match(line)
                if m:
                    cur = {"id": m.group(1), "kind": None, "born": [], "dates": [], "nat": [],
                           "ids": [], "name": None}
                    persons.append(cur)
                    continue
                if cur is None:
                    continue
                s = line.strip()
                if s.startswith("kind "):
                    cur["kind"] = s.split()[1]
                elif s.startswith("name ") and cur["name"] is None:
                    v = re.findall(r'"([^"]*)"', s)
                    cur["name"] = " ".join(sorted(re.findall(r"[a-z]+", v[0].lower()))) if v else None
                elif s.startswith("born "):
                    cur["dates"] += re.findall(r"\d{4}-\d\d-\d\d", s)
                    cur["born"] += [y for y in re.findall(r"\b(1[89]\d\d|20\d\d)", s)]
                elif s.startswith("nationality "):
                    cur["nat"] += [c.strip().strip('"') for c in s[len("nationality "):].split(",")]
                elif s.startswith("identifier "):
                    parts = s.split(None, 2)
                    v = re.findall(r'"([^"]*)"', s)
                    if len(parts) >= 3 and v:
                        cur["ids"].append((parts[1], re.sub(r"\W", "", v[0]).upper()))
    return [p for p in persons if p["kind"] == "person"]


def party_ratios():
    persons = read_persons()
    # One person on two lists: entries sharing an identifier (passport, national id).
    by_id = collections.defaultdict(list)
    for k, p in enumerate(persons):
        for scheme, v in p["ids"]:
            if len(v) >= 6 and scheme not in ("website", "email", "phone"):
                by_id[(scheme, v)].append(k)
    same = {tuple(sorted(set(ks)))[:2] for ks in by_id.values() if len(set(ks)) >= 2}
    same = [p for p in same if len(p) == 2]
    # For identifiers themselves, one person is two entries with the same name and the
    # same full date of birth.
    by_name_date = collections.defaultdict(list)
    for k, p in enumerate(persons):
        for d in p["dates"]:
            if p["name"]:
                by_name_date[(p["name"], d)].append(k)
    same_by_name = [tuple(sorted(set(ks)))[:2] for ks in by_name_date.values() if len(set(ks)) >= 2]

    def dob(a, b):
        ya, yb = [int(y) for y in a["born"]], [int(y) for y in b["born"]]
        if not ya or not yb:
            return None
        return any(abs(x - y) <= 1 for x in ya for y in yb)

    def nat(a, b):
        if not a["nat"] or not b["nat"]:
            return None
        return bool(set(a["nat"]) & set(b["nat"]))

    def ident(a, b):
        schemes = {s for s, _ in a["ids"]} & {s for s, _ in b["ids"]}
        if not schemes:
            return None
        return bool(set(a["ids"]) & set(b["ids"]))

    # Different persons: every pair of a sample of listed persons (fixed order, no
    # randomness: every 7th person), minus the linked pairs.
    sample = persons[::7]
    linked = {tuple(sorted((persons[a]["id"], persons[b]["id"]))) for a, b in same}
    diff = [(a, b) for a, b in itertools.combinations(sample, 2)
            if tuple(sorted((a["id"], b["id"]))) not in linked]

    def rate(test, pairs_, want):
        got = [test(a, b) for a, b in pairs_]
        got = [g for g in got if g is not None]
        return (sum(1 for g in got if g == want) + 1) / (len(got) + 2), len(got)

    out = {}
    for name, test in (("DOB", dob), ("NATIONALITY", nat), ("IDENTIFIER", ident)):
        same_pairs = [(persons[a], persons[b]) for a, b in (same_by_name if name == "IDENTIFIER" else same)]
        agree_same, n_same = rate(test, same_pairs, True)
        agree_diff, n_diff = rate(test, diff, True)
        out[name] = (math.log(agree_same / agree_diff), math.log((1 - agree_same) / (1 - agree_diff)),
                     n_same, n_diff, agree_same, agree_diff)
    return out


def write(beta, ratios, n_rows):
    coef = ",\n    ".join(f"{b:.4f}" for b in beta[1:])
    names = "\n".join(f'    "{n}",' for n in NAMES)
    dob, nat, ident = ratios["DOB"], ratios["NATIONALITY"], ratios["IDENTIFIER"]
    text = f"""//! Generated by scripts/fit-name-model.py from the tuning half of eval/names/ ({n_rows}
//! pairs) and the shipped lists: do not edit, run the script again.

#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const NAMES: [&str; {len(NAMES)}] = [
{names}
];

pub(crate) const INTERCEPT: f64 = {beta[0]:.4f};

pub(crate) const COEF: [f64; {len(NAMES)}] = [
    {coef},
];

// Log-likelihood ratios: one person's two entries agree {dob[4]:.3f} of {dob[2]} times on a
// birth year (within one), two persons' {dob[5]:.4f} of {dob[3]}; nationality {nat[4]:.3f} of
// {nat[2]} against {nat[5]:.4f} of {nat[3]}; an identifier of a type both give {ident[4]:.3f} of
// {ident[2]} against {ident[5]:.5f} of {ident[3]}.
pub(crate) const DOB_AGREES: f64 = {dob[0]:.4f};
pub(crate) const DOB_DIFFERS: f64 = {dob[1]:.4f};
pub(crate) const NATIONALITY_AGREES: f64 = {nat[0]:.4f};
pub(crate) const NATIONALITY_DIFFERS: f64 = {nat[1]:.4f};
pub(crate) const IDENTIFIER_MATCHES: f64 = {ident[0]:.4f};
pub(crate) const IDENTIFIER_DIFFERS: f64 = {ident[1]:.4f};
"""
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "embargo"))
    ap.add_argument("--dry-run", action="store_true", help="print, do not write")
    args = ap.parse_args()
    ev = load_names_eval()
    tune = lambda rows: [c for c in rows if c.get("half") == "tune"]
    negatives = tune(ev.read("negatives.jsonl"))
    aliases = [c for c in tune(ev.read("aliases.jsonl")) if c.get("variant")]
    perturbed = tune(ev.read("perturbed.jsonl"))
    abroad = tune(ev.read("abroad.jsonl"))
    looks = tune(ev.read("lookalikes.jsonl"))
    homonyms = [c for c in tune(ev.read("homonyms.jsonl")) if c["evidence"] == "none"]
    pairs = tune(ev.read("crossscript.jsonl"))

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += pairs_from_match(ev, args.bin, ev.holdout_rules(tmp), aliases, "aliases", True)
    rows += pairs_from_match(ev, args.bin, None, perturbed, "perturbed", True)
    rows += pairs_from_match(ev, args.bin, None, abroad, "abroad", True)
    rows += pairs_from_match(ev, args.bin, None, negatives, "negatives", False)
    rows += pairs_from_match(ev, args.bin, None, looks, "look-alikes", False)
    # A homonym's hits on its listed namesakes are other persons of the same name.
    rows += pairs_from_match(ev, args.bin, None, homonyms, "homonyms", False)
    rows += pairs_from_compare(ev, args.bin, pairs)
    counts = collections.Counter((r[0], r[2]) for r in rows)
    for k in sorted(counts):
        print(f"  {k[0]:24} label {k[1]}: {counts[k]}")
    beta, X, y = fit(rows)
    print(f"intercept {beta[0]:+.3f}")
    for n, b in zip(NAMES, beta[1:]):
        print(f"  {n:28} {b:+.3f}")
    ratios = party_ratios()
    for k, v in ratios.items():
        print(f"  {k}: agrees {v[0]:+.3f}, differs {v[1]:+.3f} (same {v[4]:.3f} of {v[2]}, "
              f"different {v[5]:.4f} of {v[3]})")
    if not args.dry_run:
        write(beta, ratios, len(rows))
        print(f"wrote {os.path.relpath(OUT, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
