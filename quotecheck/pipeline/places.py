"""Places: countries, demonyms, capitals and seats of government, each read as the country it names.

Data from the ``countryinfo`` package (names, alternative spellings, ISO codes of three letters
and 'US'/'UK', demonyms, capitals) and ``lexicon/seats.txt`` ('the Kremlin' → Russia). The names
module re-exports :func:`country_of`; the events and speakers stages read countries through it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

__all__ = ["country_of", "country_data", "countries", "seats"]

#: Two-letter country codes that news text uses as names.
_TWO_LETTER_COUNTRIES = frozenset({"US", "UK"})
#: A capital of a country this small is more often a name ('Douglas' is not the Isle of Man).
_MIN_CAPITAL_POPULATION = 1_000_000
_DETERMINER = re.compile(r"^(?:the|a|an|some|many|several|two|three|four|both|other|its|his|her|their)\s+", re.I)


@lru_cache(maxsize=1)
def country_data() -> tuple[dict[str, str], frozenset[str]]:
    """Lower-cased country names, alternative spellings, demonyms (and plurals) and capitals →
    country; and the capitals of countries under ``_MIN_CAPITAL_POPULATION``."""
    out: dict[str, str] = {}
    minor: set[str] = set()
    data = files("countryinfo").joinpath("data")
    for path in data.iterdir():
        if not path.name.endswith(".json"):
            continue
        info = json.loads(path.read_text(encoding="utf-8"))
        name = info.get("name")
        if not name:
            continue
        # ISO codes of two letters are English words or other names ('IS', 'IN', 'IT', 'ME'), except these
        codes = [a for a in info.get("altSpellings", []) if a.isupper() and (len(a) > 2 or a in _TWO_LETTER_COUNTRIES)]
        keys = [name, *[a for a in info.get("altSpellings", []) if len(a) > 3], *codes]
        demonym = info.get("demonym")
        if demonym:
            keys += [demonym, demonym + "s"]
        capital = info.get("capital")
        small = (info.get("population") or 0) < _MIN_CAPITAL_POPULATION
        for city in [capital] if isinstance(capital, str) else capital or []:
            keys.append(city.replace(" D.C.", ""))
            if small:
                minor.add(city.lower())
        for key in keys:
            out.setdefault(key.lower(), name)
    return out, frozenset(k for k in minor if out.get(k) and k != out[k].lower())


def countries() -> dict[str, str]:
    return country_data()[0]


@lru_cache(maxsize=1)
def seats() -> dict[str, str]:
    raw = files("quotecheck.lexicon").joinpath("seats.txt").read_text(encoding="utf-8")
    out = {}
    for line in raw.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        metonym, country = line.split("\t")
        out[metonym.strip().lower()] = country.strip()
    return out


def country_of(mention: str) -> str | None:
    """The country a mention stands for or belongs to: 'Russian jets' → 'Russia'."""
    low = _DETERMINER.sub("", mention.strip()).lower().replace("’s", "").replace("'s", "")
    table = countries()
    seat_table = seats()
    if low in table:
        return table[low]
    if low in seat_table:
        return seat_table[low]
    for seat, country in seat_table.items():
        if seat in low:
            return country
    for token in low.split():
        if token in table and (len(token) > 2 or token.isupper()):
            return table[token]
    return None
