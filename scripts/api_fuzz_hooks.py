"""Values for the formats the service's OpenAPI document gives a party's country and a
goods line's currency, and a vessel's IMO number.

A party's `country` and `nationality` (and `match`'s `country`) take an ISO code or a
country name that the service understands: a pattern cannot say which strings those
are, so the document names the format `country` and the fuzzer draws its values from
the service's own country table (`src/data/countries.tsv`), as a client would send them.
An IMO number's last digit checks the six before it, which a pattern cannot say either:
the format `imo` draws six digits and appends their check digit.

Three rules of an order no schema keyword can state without calling every other string
invalid too (a custom format is taken as violated by any value in negative testing):
the orders of one request have distinct ids; a party name has something to screen once
normalized (`Co., Ltd.` and a lone control character are refused); a route place
written as two or three capital letters is a country code (a mistyped `KP` must not
pass as a town). `map_case` makes the schema-valid requests the fuzzer draws keep them,
so the service must accept every one; requests meant to break the schema are left as
drawn, apart from distinct ids.
"""
import os
import re

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


def _unique_ids(orders):
    """Gives each order whose id repeats an earlier one's a new id of the same type."""
    seen = set()
    for order in orders:
        if not isinstance(order, dict):
            continue
        oid = order.get("id")
        if isinstance(oid, bool) or not isinstance(oid, (str, int)):
            continue
        key, n = str(oid), 0
        while key in seen:
            # A string gets a suffix; a number the smallest one free (kept in 64 bits).
            oid = f"{order['id']}-{n}" if isinstance(oid, str) else n
            key, n = str(oid), n + 1
        seen.add(key)
        order["id"] = oid


# Real words of names in the scripts parties are written in, one put before each drawn name.
NAME_WORDS = ["Acme", "Tangun", "3M", "Kwangson", "조선", "朝鲜", "Иванов", "محمد", "Ελλάς"]
CODE_LIKE = re.compile(r"\s*[A-Z]{2,3}\s*")
COUNTRY_CODES = set(CODES)


def _place(text):
    """A route place kept, unless written as a code that is none: then as a name."""
    if not isinstance(text, str):
        return text
    parts = [p.title() if CODE_LIKE.fullmatch(p) and p.strip() not in COUNTRY_CODES else p
             for p in text.split(";")]
    return ";".join(parts)


def _screenable(order):
    """Gives each party name a word to screen and each route place a valid form."""
    for party in order.get("parties") or []:
        name = party.get("name") if isinstance(party, dict) else None
        if isinstance(name, str):
            party["name"] = f"{NAME_WORDS[len(name) % len(NAME_WORDS)]} {name}"
    route = order.get("route")
    if isinstance(route, dict):
        for field in ("origin", "destination"):
            route[field] = _place(route.get(field))
        via = route.get("via")
        route["via"] = [_place(v) for v in via] if isinstance(via, list) else _place(via)


@schemathesis.hook
def map_case(context, case):
    body = case.body
    if not isinstance(body, dict):
        return case
    if isinstance(body.get("items"), list):
        orders = [i.get("order") for i in body["items"] if isinstance(i, dict)]
    elif isinstance(body.get("orders"), list):
        orders = body["orders"]
    else:
        orders = [body]
    orders = [o for o in orders if isinstance(o, dict)]
    _unique_ids(orders)
    meta = case.meta
    if meta is not None and meta.generation.mode == "positive":
        for order in orders:
            _screenable(order)
    return case
