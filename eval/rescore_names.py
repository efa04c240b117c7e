#!/usr/bin/env python3
"""Measures candidate score factors on the tuning half without building: each hit's
explanation (aligned pairs, weights, unmatched words, factors) is re-scored offline.

Usage (after `cargo build --release`):
    python3 eval/rescore_names.py [--bin PATH] [--dump FILE]

Runs `embargo match` once over the tuning half's aliases (leave-one-alias-out rules)
and perturbed names with their negatives (or reads `--dump` from an earlier run), then
prints recall at FPR 1%, at review and at block for the current score and for each
candidate in CANDIDATES. A candidate changes pair similarities (`sim`) or multiplies a
hit's score (`extra`), or weighs words left unaligned (`unaligned`, in the hits
`unaligned_if` accepts); the share of aligned weight is recomputed from the explanation
as `score` computes it, the other factors are kept. Only factors at most 1 keep
retrieval's bound valid. The tuning half only: the reporting half is for before/after.
Python 3 standard library only.
"""

import argparse
import collections
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import names as N  # noqa: E402

PAIR = re.compile(r"^(.+?) ~ (.+?) ([\d.]+) \(([^,]+), weights ([\d.]+)/([\d.]+)\)$")
UNMATCHED = re.compile(r"^(query|listed) (.+?) unmatched \(weight ([\d.]+)\)$")
FACTOR = re.compile(r"^(.+) x([\d.]+)$")


def parse(hit):
    """A hit's explanation: pairs (query, listed, sim, basis, query weight, listed
    weight), unmatched words of each side, factors."""
    parts = hit["explanation"].split("; ")
    e = {"score": hit["score"], "kind": hit.get("kind"), "name": hit["name"],
         "entities": [hit["entity"]] + list(hit.get("also", [])),
         "identical": "identical after" in parts[0], "pairs": [], "uq": [], "uc": [],
         "factors": []}
    for p in parts[1:]:
        if m := PAIR.match(p):
            e["pairs"].append((m[1], m[2], float(m[3]), m[4], float(m[5]), float(m[6])))
        elif m := UNMATCHED.match(p):
            w = float(m[3])  # as it counts unaligned (`Tok::unaligned_weight`)
            (e["uq"] if m[1] == "query" else e["uc"]).append((m[2], w))
        elif m := FACTOR.match(p):
            e["factors"].append((m[1], float(m[2])))
    return e


def share(e, sim=lambda p: p[2], unaligned=lambda side, word, w: w):
    """The mean of both names' aligned shares, aligned words at the lighter weight;
    `unaligned` gives the weight of a word that aligned with nothing."""
    aligned = sum(min(p[4], p[5]) for p in e["pairs"])
    matched = sum(sim(p) * min(p[4], p[5]) for p in e["pairs"])
    wq = aligned + sum(unaligned("query", t, w) for t, w in e["uq"])
    wc = aligned + sum(unaligned("listed", t, w) for t, w in e["uc"])
    return 0.0 if wq <= 0 or wc <= 0 else 0.5 * (matched / wq + matched / wc)


def rescore(e, sim, extra, unaligned, unaligned_if):
    if e["identical"]:
        return e["score"]
    base = share(e)
    rest = e["score"] / base if base > 0 else 0.0  # every other factor, as it was
    if not unaligned_if(e):
        unaligned = lambda side, word, w: w
    return min(0.99, share(e, sim, unaligned) * rest * extra(e))


def measure(sets, sim=lambda p: p[2], extra=lambda e: 1.0, unaligned=lambda side, word, w: w,
            unaligned_if=lambda e: True):
    out = {}
    for name, rows in sets.items():
        neg, pos, dprk = [], [], []
        for case, hits in rows:
            scored = [(rescore(e, sim, extra, unaligned, unaligned_if), e) for e in hits]
            if not case["expect"]:
                neg.append(max((s for s, _ in scored), default=0.0))
                continue
            want = set(case["expect"])
            best = max((s for s, e in scored if want & set(e["entities"])), default=0.0)
            pos.append(best)
            if case.get("dprk"):
                dprk.append(best)
        t = N.fpr_threshold(neg)
        r = lambda xs, x: sum(s >= x for s in xs) / max(1, len(xs))
        out[name] = (t, r(pos, t), r(pos, N.REVIEW), r(pos, N.BLOCK), r(dprk, t),
                     r(neg, N.BLOCK))
    return out


def word_list(name):
    path = os.path.join(N.ROOT, "src", "matching", name)
    if not os.path.exists(path):
        return set()
    with open(path, encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


GIVEN = word_list("given_names.txt")
SYLLABLES = word_list("syllable_words.txt")


def words_of(name):
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def crossed_inexact(e):
    """Two aligned pairs of single words in crossed positions, neither exact (`Hong
    Chung Su` / `JONG, Yong Su`): positions found by the words' text, roughly."""
    q, c = words_of(e["query"]), words_of(e["name"])
    at = []
    for p in e["pairs"]:
        if " " in p[0] or " " in p[1] or p[0] not in q or p[1] not in c:
            continue
        at.append((q.index(p[0]), c.index(p[1]), p[2] < 1.0))
    return any(a[0] < b[0] and b[1] < a[1] and a[2] and b[2] for a in at for b in at)


ORGISH = {"trading", "trade", "bank", "banking", "corporation", "company", "industrial",
          "industry", "group", "holding", "enterprise", "shipping", "co", "ltd", "llc",
          "inc", "corp", "limited", "gmbh", "sa", "plc", "office", "branch", "bureau",
          "committee", "ministry", "association", "agency", "institute", "factory",
          "international", "import", "export", "technology", "engineering", "services"}


def personlike_query_on_org(e):
    return e["kind"] == "organization" and not (set(words_of(e["query"])) & ORGISH)


def patronymic(w):
    """A Slavic patronymic by its ending, as `score::is_patronymic` reads it."""
    return len(w) >= 6 and w.endswith(("vich", "vych", "vitch", "vna", "ichna"))


def one_syllable(w):
    return len(w) <= 6 and " " not in w and len(re.findall(r"[aeiouy]+", w)) == 1


def written_consonants(w):
    """A word's consonants as written: digraphs and doubled letters once, vowels and
    glides (`w`, `y`) left out, as `score::word`'s `Fold::KeepLetters` reads them."""
    digraphs = {"kh": "K", "gh": "K", "sh": "x", "ch": "x", "th": "T", "dj": "j", "dh": "d", "ph": "f"}
    out, k = [], 0
    while k < len(w):
        two = w[k:k + 2]
        if two in digraphs:
            letter, k = digraphs[two], k + 2
        else:
            letter = "s" if w[k] == "c" and w[k + 1:k + 2] in ("e", "i", "y") else w[k]
            k += 1
        if letter not in "aeiouyw" and (not out or out[-1] != letter):
            out.append(letter)
    return "".join(out)


def known_syllables(p):
    """Two one-syllable words that listed names both use (`syllable_words.txt`): two
    syllables, as the Korean and Chinese names of the lists write them."""
    return one_syllable(p[0]) and one_syllable(p[1]) and p[0] in SYLLABLES and p[1] in SYLLABLES


# Candidates measured in round 5 (docs/MATCHING.md); add new ones here.
CANDIDATES = {
    "typos below 0.75 x0.5 (conflicts)":
        dict(sim=lambda p: p[2] * (0.5 if p[2] < 0.75 and "edit" in p[3] else 1)),
    "one-syllable typos below 0.75 x0": dict(sim=lambda p: p[2] * (
        0 if p[2] < 0.75 and "edit" in p[3] and one_syllable(p[0]) and one_syllable(p[1])
        else 1)),
    "same consonants x0.8": dict(sim=lambda p: p[2] * (
        0.8 if p[3] == "same consonants" else 1)),
    "aligned weight under 1.5: x0.8 to x1": dict(extra=lambda e: min(
        1.0, 0.8 + 0.2 * sum(min(p[4], p[5]) for p in e["pairs"]) / 1.5)),
    "one pair, query words unmatched x0.9":
        dict(extra=lambda e: 0.9 if len(e["pairs"]) == 1 and e["uq"] else 1.0),
    "one pair, listed name whole, query words unmatched x0.9 (kept)": dict(
        extra=lambda e: 0.9 if len(e["pairs"]) == 1 and e["uq"] and not e["uc"] else 1.0),
    "listed organization, vessel: query words unmatched x0.9": dict(
        extra=lambda e: 0.9 if e["kind"] != "person" and e["uq"] else 1.0),
    # Round 7 (docs/MATCHING.md). The first two were measured before they were built
    # (re-scoring the current build applies them twice).
    "given names unaligned at most 0.5 (built)": dict(
        unaligned=lambda side, t, w: min(w, 0.5) if t in GIVEN else w),
    "given names unaligned at most 0.5, listed side only": dict(
        unaligned=lambda side, t, w: min(w, 0.5) if t in GIVEN and side == "listed" else w),
    "common syllables (both weights < 0.8) a typo apart x0.8 (built)": dict(
        sim=lambda p: p[2] * (0.8 if "edit" in p[3] and one_syllable(p[0]) and one_syllable(p[1])
                              and max(p[4], p[5]) < 0.8 else 1)),
    "the same, both 4+ letters (typos of the eval's generator change those only)": dict(
        sim=lambda p: p[2] * (0.8 if "edit" in p[3] and one_syllable(p[0]) and one_syllable(p[1])
                              and min(len(p[0]), len(p[1])) >= 4 and max(p[4], p[5]) < 0.8 else 1)),
    "common syllables, same consonants, x0": dict(
        sim=lambda p: p[2] * (0 if p[3] == "same consonants" and one_syllable(p[0])
                              and one_syllable(p[1]) and max(p[4], p[5]) < 0.8 else 1)),
    "person: crossed inexact pairs x0.9": dict(
        extra=lambda e: 0.9 if e["kind"] == "person" and crossed_inexact(e) else 1.0),
    "person-like query on a vessel x0.9": dict(
        extra=lambda e: 0.9 if e["kind"] == "vessel" and not (set(words_of(e["query"])) & ORGISH) else 1.0),
    "person-like query on an organization x0.9": dict(
        extra=lambda e: 0.9 if personlike_query_on_org(e) else 1.0),
    "one pair, a typo, x0.9": dict(
        extra=lambda e: 0.9 if len(e["pairs"]) == 1 and "edit" in e["pairs"][0][3] else 1.0),
    "legal forms differ x0.9 (not x0.97)": dict(
        extra=lambda e: 0.9 / 0.97 if any(f[0] == "legal forms differ" and abs(f[1] - 0.97) < 1e-3
                                           for f in e["factors"]) else 1.0),
    # Round 9 (docs/MATCHING.md). The first was measured before it was built.
    "given names unaligned at most 0.1 beside an aligned patronymic (built)": dict(
        unaligned_if=lambda e: any(patronymic(p[0]) or patronymic(p[1]) for p in e["pairs"]),
        unaligned=lambda side, t, w: min(w, 0.1) if t in GIVEN else w),
    "a person's listed given names unaligned at most 0.1, two pairs aligned": dict(
        unaligned_if=lambda e: e["kind"] == "person" and len(e["pairs"]) >= 2,
        unaligned=lambda side, t, w: min(w, 0.1) if side == "listed" and t in GIVEN else w),
    "a listed one-syllable word unaligned x0.5 (a Korean given-name syllable left out)": dict(
        unaligned=lambda side, t, w: w * 0.5 if side == "listed" and one_syllable(t) else w),
    # Round 10 (docs/MATCHING.md): two syllables that names use, a typo apart, as a
    # conflict rather than part of an agreement.
    "known syllables a typo apart below 0.65 x0.5": dict(sim=lambda p: p[2] * (
        0.5 if known_syllables(p) and "edit" in p[3] and p[2] < 0.65 else 1)),
    "known syllables a typo apart below 0.65 x0": dict(sim=lambda p: p[2] * (
        0 if known_syllables(p) and "edit" in p[3] and p[2] < 0.65 else 1)),
    "known syllables a typo apart below 0.75 x0.5": dict(sim=lambda p: p[2] * (
        0.5 if known_syllables(p) and "edit" in p[3] and p[2] < 0.75 else 1)),
    "known syllables a typo apart x0.7": dict(sim=lambda p: p[2] * (
        0.7 if known_syllables(p) and "edit" in p[3] else 1)),
    "known syllables a typo apart or of the same consonants, below 0.65, x0.5": dict(
        sim=lambda p: p[2] * (0.5 if known_syllables(p) and p[2] < 0.65
                              and ("edit" in p[3] or p[3] == "same consonants") else 1)),
    # Round 10: the phonetic key's consonants (`same consonants`, 0.7 and 0.5) join
    # letters written differently (`Acme` / `AQIM`, `Jon` / `Jang`, `Fuad` / `Aboud`).
    "same consonants (key), written differently: x0": dict(sim=lambda p: 0 if (
        p[3] == "same consonants" and " " not in p[0] + p[1]
        and written_consonants(p[0]) != written_consonants(p[1])) else p[2]),
    "the same, two written consonants or fewer: x0": dict(sim=lambda p: 0 if (
        p[3] == "same consonants" and " " not in p[0] + p[1]
        and written_consonants(p[0]) != written_consonants(p[1])
        and max(len(written_consonants(p[0])), len(written_consonants(p[1]))) <= 2) else p[2]),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(N.ROOT, "target", "release", "embargo"))
    ap.add_argument("--dump", help="read (or, if missing, write) the hits of a run here")
    args = ap.parse_args()
    if args.dump and os.path.exists(args.dump):
        with open(args.dump, encoding="utf-8") as f:
            raw = json.load(f)
    else:
        tune = lambda c: c.get("half") == "tune"
        negatives = [c for c in N.read("negatives.jsonl") if tune(c)]
        raw = {}
        with tempfile.TemporaryDirectory() as tmp:
            for name, cases, rules in (
                    ("aliases", [c for c in N.read("aliases.jsonl") if tune(c) and c.get("variant")],
                     N.holdout_rules(tmp)),
                    ("perturbed", [c for c in N.read("perturbed.jsonl") if tune(c)], None)):
                cmd = [args.bin, "match", "--jsonl", "--threshold", "0.3", "--limit", "30"]
                if rules:
                    cmd += ["--rules", rules]
                queries = [{k: c[k] for k in ("id", "name", "country") if c.get(k)}
                           for c in cases + negatives]
                raw[name] = {"cases": cases + negatives, "answers": N.run(cmd, queries)}
        if args.dump:
            with open(args.dump, "w", encoding="utf-8") as f:
                json.dump(raw, f)
    sets = collections.OrderedDict()
    for name, d in raw.items():
        sets[name] = [(c, [dict(parse(h), query=c["name"]) for h in a.get("hits", [])])
                      for c, a in zip(d["cases"], d["answers"])]
    print("| candidate | aliases: threshold, recall at FPR 1% / review / block | "
          "perturbed: threshold, recall at FPR 1% / review / block, DPRK at FPR 1% | "
          "negatives at block |")
    print("| --- | --- | --- | --- |")
    for label, cand in [("current score", {})] + list(CANDIDATES.items()):
        m = measure(sets, **cand)
        a, p = m["aliases"], m["perturbed"]
        print(f"| {label} | {a[0]:.3f}: {a[1]:.3f} / {a[2]:.3f} / {a[3]:.3f} | "
              f"{p[0]:.3f}: {p[1]:.3f} / {p[2]:.3f} / {p[3]:.3f}, {p[4]:.3f} | {p[5]:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
