"""The OFAC SDN files the generators of word tables read, and the words of a name as
they count them: lower case without accents or apostrophes, letters only, two letters
or more (public domain data; scripts/gen-letter-trigrams.py, scripts/gen-given-names.py,
scripts/gen-syllable-words.py).
"""
import csv
import re
import unicodedata

SDN_CSV = "/work/shared/data/ofac/sdn-2024-05.csv"
ALT_CSV = "/work/shared/data/ofac/alt-2025-12.csv"


def words(text):
    s = unicodedata.normalize("NFKD", text.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['\u2019`]", "", s)
    return {w for w in re.split(r"[^a-z]+", s) if len(w) > 1}


def vocabulary(sdn_path=SDN_CSV, alt_path=ALT_CSV):
    """Every word of the SDN names (sdn.csv's second column) and aliases (alt.csv's
    fourth)."""
    vocab = set()
    for path, col in ((sdn_path, 1), (alt_path, 3)):
        with open(path, encoding="utf-8", errors="replace") as f:
            for row in csv.reader(f):
                if len(row) > col:
                    vocab |= words(row[col])
    return vocab
