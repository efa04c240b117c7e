"""Values for the formats the service's OpenAPI document gives a party's country and a
goods line's currency, and a vessel's IMO number.

A party's `country` and `nationality` (and `match`'s `country`) take an ISO code or a
country name that the service understands: a pattern cannot say which strings those
are, so the document names the format `country` and the fuzzer draws its values from
the service's own country table (`src/data/countries.tsv`), as a client would send them.
An IMO number's last digit checks the six before it, which a pattern cannot say either:
the format `imo` draws six digits and appends their check digit.
"""
import os

import schemathesis
from hypothesis import strategies as st

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _countries():
    codes, names = [], []
    with open(os.path.join(ROOT, "src", "data", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            codes.append(parts[0])
            names.extend(p for p in parts[1:2] if p)
    return codes, names


CODES, NAMES = _countries()
COUNTRY = st.sampled_from(CODES + NAMES)
schemathesis.openapi.format("country", COUNTRY)


def _currencies():
    with open(os.path.join(ROOT, "src", "data", "currencies.txt"), encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


# A goods line's `currency`: an ISO 4217 code (the service refuses any other).
schemathesis.openapi.format("currency", st.sampled_from(_currencies()))


def _imo(six):
    digits = [int(c) for c in six]
    check = sum(d * w for d, w in zip(digits, [7, 6, 5, 4, 3, 2])) % 10
    return six + str(check)


IMO = st.tuples(
    st.sampled_from(["", "IMO ", "IMO", "imo: "]),
    st.integers(min_value=0, max_value=999_999).map(lambda n: _imo(f"{n:06d}")),
).map("".join)
schemathesis.openapi.format("imo", IMO)
