#!/usr/bin/env python3
"""Regenerates src/data/country-names.tsv and src/data/city-names.tsv from kept data
sources, so that embargo understands a country or a city however an order writes it:
朝鲜, 북한, КНДР, Nordkorea, Corée du Nord, "North Korean", Pjöngjang, Phenjan.

Sources (PyPI packages, pinned so that a run gives the same table):
- babel: the Unicode CLDR territory names of every locale, and the CLDR exemplar
  city names of time zones (the only city names CLDR carries) in every locale;
- countrynames (OpenSanctions, MIT): country names and spellings as trade and
  sanctions data write them, demonyms among them ("North Korean");
- countryinfo (MIT): the English demonym of each country;
- pycountry (LGPL, its data from Debian's iso-codes): the ISO 3166-1 short and
  official names, and their translations in every iso-codes catalog (the official
  names as customs papers write them: 朝鲜民主主义人民共和国, Demokratische
  Volksrepublik Korea);
- Unicode's Unihan database (Debian's unicode-data): each name in Chinese characters
  is also kept wholly simplified and wholly traditional (kSimplifiedVariant,
  kTraditionalVariant), as papers of the other script write it: 朝鲜 gives 朝鮮, the
  Japanese 北朝鮮 gives 北朝鲜. A character with more than one variant is left as it is.

A name that two countries claim is left out (CLDR is trusted over the others: a name
CLDR gives one country is kept for it). So are names that say only "Korea": which
Korea is meant is for a person to confirm (the `ambiguous_korea` set of the rules),
and a table that read "Korea" as either would clear what it should hold. Names of
two Latin letters or fewer are left out too, as they would shadow ISO codes.

SUPPLEMENT holds the few names no permissive kept source carries that the project
needs; each says why.

Usage:
  apt-get install unicode-data
  python3 -m venv /tmp/cldr && /tmp/cldr/bin/pip install babel==2.18.0 \\
      countrynames==1.17.0 countryinfo==1.0.1 pycountry==26.2.16
  /tmp/cldr/bin/python scripts/gen-country-names.py
"""
import bz2
import gettext
import glob
import json
import os
import unicodedata

import babel
import countryinfo
import countrynames
import pycountry
from babel import Locale, localedata
from countrynames.data import DATA as COUNTRYNAMES

UNIHAN = "/usr/share/unicode/Unihan_Variants.txt.bz2"
HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "..", "src", "data")

# Names that say "Korea" and nothing more, in the languages where a source gives one
# to a single Korea. Policy, not country names: see the module doc.
BARE_KOREA = {"korea", "korean", "corea", "coree", "kore", "koreya", "koreja",
              "kórea", "korea republic", "корея", "코리아", "coirea", "كورېيە",
              "corean", "koreai"}

SUPPLEMENT = {
    # The DPRK's own short name, on its documents and in North Korean usage. CLDR has
    # only the full official name (조선민주주의인민공화국, locale ko_KP); the short
    # form alone names the DPRK in an address or a destination field.
    "KP": ["조선", "북조선"],
}


def key(name):
    """The look-up key, as `reference::name_key` in Rust computes it: case, accents,
    apostrophes and dots do not matter, and words are separated by one space."""
    out, space = [], False
    for c in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(c) or c in "'’.":
            continue
        if c.isalnum():
            if space and out:
                out.append(" ")
            space = False
            out.append(c.lower())
        else:
            space = True
    return "".join(out)


def iso_codes():
    codes = set()
    with open(os.path.join(DATA_DIR, "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                code = line.split("\t", 1)[0]
                if len(code) == 2:
                    codes.add(code)
    return codes


def cldr_territories(codes):
    by_code = {c: set() for c in codes}
    for loc in localedata.locale_identifiers():
        try:
            territories = Locale.parse(loc).territories
        except Exception:  # a locale babel cannot parse carries nothing for us
            continue
        for code, name in territories.items():
            if code in by_code:
                by_code[code].add(name)
    return by_code


def other_sources(codes):
    by_code = {c: set() for c in codes}
    for code, names in COUNTRYNAMES.items():
        if code in by_code:
            by_code[code].update(names)
    own, _ = demonyms(codes)
    for code, demonym in own.items():
        by_code[code].add(demonym)
    return by_code


# A demonym several countries share goes to the one whose people it names far more
# often: at least this many times the population of every other claimant.
DEMONYM_POPULATION_RATIO = 10


def demonyms(codes):
    """Code -> its English demonym (countryinfo); and key -> the one country given a
    demonym others share. countryinfo gives a dependency its
    sovereign's ("Chinese" for Hong Kong and Macau, "French" for Réunion), and a
    party's nationality "Chinese" means China. A key stays shared (and is left out)
    unless one claimant's population is DEMONYM_POPULATION_RATIO times every other's;
    "Congolese" so means the DR Congo (69 million against 4.6), whose sanctions
    programmes then look at a party of either Congo, where the other reading would
    let one pass."""
    folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    own, population, claimants = {}, {}, {}
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        code = (d.get("ISO") or {}).get("alpha2")
        demonym = d.get("demonym")
        if code in codes and demonym:
            own[code] = demonym
            population[code] = d.get("population") or 0
            claimants.setdefault(key(demonym), []).append(code)
    dominant = {}
    for k, group in claimants.items():
        if len(group) < 2:
            continue
        first, *rest = sorted(group, key=lambda c: -population[c])
        if all(population[first] >= DEMONYM_POPULATION_RATIO * population[c] for c in rest):
            dominant[k] = first
    return own, dominant


def iso_code_names(codes):
    """The ISO 3166-1 short and official names of each country as iso-codes writes
    them, and their translations in every language it has a catalog for. Its common
    names are left to CLDR, which has them all: one translation of them in iso-codes
    (Assamese "North Korea") names the other Korea."""
    by_code = {c: set() for c in codes}
    folder = pycountry.LOCALES_DIR
    languages = sorted(d for d in os.listdir(folder)
                       if os.path.exists(os.path.join(folder, d, "LC_MESSAGES", "iso3166-1.mo")))
    catalogs = [gettext.translation("iso3166-1", folder, languages=[lang]) for lang in languages]
    for country in pycountry.countries:
        code = country.alpha_2
        if code not in by_code:
            continue
        for field in ("name", "official_name"):
            name = getattr(country, field, None)
            if not name:
                continue
            by_code[code].add(name)
            for catalog in catalogs:
                by_code[code].add(catalog.gettext(name))
    return by_code


def han_variants():
    """Character -> its one simplified and its one traditional form (Unihan), for the
    characters that have exactly one of either."""
    simplified, traditional = {}, {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in ("kSimplifiedVariant", "kTraditionalVariant"):
                continue
            forms = [chr(int(v[2:], 16)) for v in parts[2].split()]
            table = simplified if parts[1] == "kSimplifiedVariant" else traditional
            table[chr(int(parts[0][2:], 16))] = forms
    return simplified, traditional


def with_han_variants(by_code, variants):
    """Adds to each name written in Chinese characters its wholly simplified and wholly
    traditional forms, where every character has one such form at most."""
    for names in by_code.values():
        for name in list(names):
            if not any(unicodedata.name(c, "").startswith("CJK UNIFIED") for c in name):
                continue
            for table in variants:
                forms = [table.get(c, [c]) for c in name]
                if all(len(f) == 1 for f in forms):
                    names.add("".join(f[0] for f in forms))
    return by_code


def claims(by_code):
    owners = {}
    for code, names in by_code.items():
        for n in names:
            owners.setdefault(key(n), set()).add(code)
    return owners


def country_table(codes):
    variants = han_variants()
    cldr = with_han_variants(cldr_territories(codes), variants)
    other = other_sources(codes)
    for code, names in iso_code_names(codes).items():
        other[code].update(names)
    other = with_han_variants(other, variants)
    cldr_owners = claims(cldr)
    other_owners = claims(other)
    table = {c: {} for c in codes}

    def keep(code, name, owners):
        k = key(name)
        if (k.isascii() and len(k) <= 2) or k in BARE_KOREA or owners.get(k) != {code}:
            return
        # One spelling per key: the first seen (CLDR before the others).
        table[code].setdefault(k, " ".join(name.split()))

    for code in sorted(codes):
        for name in sorted(cldr[code]):
            keep(code, name, cldr_owners)
    # A shared demonym given to one country (see `demonyms`), unless CLDR names
    # another country so.
    _, dominant = demonyms(codes)
    for k, code in sorted(dominant.items()):
        if cldr_owners.get(k, {code}) == {code} and k not in BARE_KOREA:
            table[code].setdefault(k, next(n for n in other[code] if key(n) == k))
    for code in sorted(codes):
        for name in sorted(other[code]):
            k = key(name)
            # CLDR decides where it speaks; elsewhere the other sources must agree.
            owners = cldr_owners if k in cldr_owners else other_owners
            keep(code, name, owners)
    for code, names in SUPPLEMENT.items():
        for name in names:
            table[code].setdefault(key(name), name)
    return table


def city_table():
    """Time zone id -> every exemplar city name CLDR gives it."""
    cities = {}
    for loc in localedata.locale_identifiers():
        try:
            zones = localedata.load(loc).get("time_zones", {})
        except Exception:  # as above
            continue
        for zone, data in zones.items():
            city = data.get("city") if isinstance(data, dict) else None
            if city and "/" in zone and not zone.startswith("Etc/"):
                cities.setdefault(zone, set()).add(" ".join(city.split()))
    return cities


def write_bare_korea():
    """Writes BARE_KOREA as look-up keys: a party's country that says only "Korea" is
    understood (the rules hold it for review), not refused as unknown."""
    with open(os.path.join(DATA_DIR, "bare-korea.txt"), "w", encoding="utf-8") as f:
        f.write("# Names that say only \"Korea\", as look-up keys. "
                "Generated by scripts/gen-country-names.py\n")
        for k in sorted({key(n) for n in BARE_KOREA}):
            f.write(k + "\n")


def main():
    write_bare_korea()
    codes = iso_codes()
    table = country_table(codes)
    with open(os.path.join(DATA_DIR, "country-names.tsv"), "w", encoding="utf-8") as f:
        f.write("# ISO 3166-1 alpha-2 code, then the country's names in every CLDR locale "
                f"(babel {babel.__version__}), countrynames, countryinfo demonyms and iso-codes "
                f"(pycountry {pycountry.__version__}), with Unihan's simplified and traditional forms. "
                "Generated by scripts/gen-country-names.py\n")
        for code in sorted(table):
            names = sorted(table[code].values())
            if names:
                f.write("\t".join([code] + names) + "\n")
    cities = city_table()
    with open(os.path.join(DATA_DIR, "city-names.tsv"), "w", encoding="utf-8") as f:
        f.write("# CLDR time zone id, then the exemplar city's name in every locale "
                f"(babel {babel.__version__}). Generated by scripts/gen-country-names.py\n")
        for zone in sorted(cities):
            f.write("\t".join([zone] + sorted(cities[zone])) + "\n")


if __name__ == "__main__":
    main()
