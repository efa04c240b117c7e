"""The OFAC SDN files the generators of word tables read, and the words of a name as
they count them: lower case without accents or apostrophes, letters only, two letters
or more (public domain data; scripts/gen-letter-trigrams.py, scripts/gen-given-names.py).
"""
import re
import unicodedata

SDN_CSV = "/work/shared/data/ofac/sdn-2024-05.csv"
ALT_CSV = "/work/shared/data/ofac/alt-2025-12.csv"


def words(text):
    s = unicodedata.normalize("NFKD", text.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"['\u2019`]", "", s)
    return {w for w in re.split(r"[^a-z]+", s) if len(w) > 1}
