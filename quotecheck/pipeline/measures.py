"""Amounts and times: what the said/did judge compares ("1,000 jobs" vs "400", "in March" vs "in October").

Amounts are read off the parse (a number token, its scale word, its unit and the noun it counts);
time expressions are formulaic (months, weekdays, years, "next week", "the end of the year"), so one
pattern finds them in an event's own words — never in the words of the cue that reports it, so
"said Tuesday it would close in March" is due in March.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from quotecheck.lexicon import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["TIME", "amount_tokens", "parse_amount", "parse_time"]

_MONTHS = "|".join(MONTHS + MONTH_ABBREVIATIONS)
_DAYS = "|".join(WEEKDAYS)
TIME = re.compile(
    rf"\b(?:(?:by|before|until|in|on|from|after|since|within|at|during|late|early|mid|end of)\s+)?"
    rf"(?:(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?|"
    rf"(?:{_DAYS})|(?:19|20)\d{{2}}|next\s+(?:week|month|year|spring|summer|autumn|fall|winter)|"
    rf"(?:this|last)\s+(?:week|month|year)|the\s+(?:end|start)\s+of\s+(?:the\s+)?(?:year|month|week|[a-z]+)|"
    rf"(?:spring|summer|autumn|fall|winter)(?:\s+\d{{4}})?|(?:the\s+)?coming\s+(?:days|weeks|months)|"
    rf"(?:two|three|four|five|six|\d+)\s+(?:days|weeks|months|years)\s+(?:later|ago|early|late))\b",
    re.I,
)
_TIME_NOUNS = frozenset("hour hours day days week weeks month months year years minute minutes am pm a.m. p.m.".split()) | frozenset(MONTHS)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9, "k": 1e3}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "thousand": 1000, "dozen": 12, "half-dozen": 6, "half": 0.5,
}
_CURRENCY = frozenset("$ € £".split())


def amount_tokens(tokens: list[Token]) -> list[tuple[int, int]]:
    """(first, last) token indexes of every amount among ``tokens``: '$54 billion', '43,000 pages', '7%'.

    Years, days of the month and durations are times, not amounts.
    """
    out: list[tuple[int, int]] = []
    taken: set[int] = set()
    for t in tokens:
        if t.i in taken or not t.like_num or t.ent_type_ in ("DATE", "TIME"):
            continue
        if re.fullmatch(r"(?:19|20)\d\d", t.text) or t.lower_ in ("one",) and t.head.lemma_ in ("of",):
            continue
        head = t.head if t.dep_ in ("nummod", "quantmod", "compound") else t
        before = t.nbor(-1).lower_ if t.i > 0 else ""
        if head.lower_ in _TIME_NOUNS or before in _TIME_NOUNS:
            continue
        first, last = t.i, t.i
        if t.i > 0 and t.nbor(-1).text in _CURRENCY:
            first = t.i - 1
        j = t.i + 1
        while j < len(t.doc) and (t.doc[j].lower_ in _SCALE or t.doc[j].text in ("%",) or t.doc[j].lower_ in ("percent",)):
            last = j
            j += 1
        if head.i > last and head.i - last <= 3 and head.pos_ in ("NOUN", "PROPN"):
            last = head.i
        taken.update(range(first, last + 1))
        out.append((first, last))
    return out


def parse_amount(text: str) -> tuple[float, str] | None:
    """'$2.5 million' → (2500000.0, '$'); '1,000 jobs' → (1000.0, 'jobs'); '40%' → (40.0, '%')."""
    m = re.search(
        r"([$€£])?\s?(\d[\d,]*(?:\.\d+)?)\s?(%|percent|per cent|million|billion|trillion|thousand|bn|m|k)?(?![a-z])\s*([a-z]+)?",
        text,
        re.I,
    )
    if m:
        value = float(m.group(2).replace(",", "") or 0)
        scale = (m.group(3) or "").lower()
        unit = m.group(1) or ("%" if scale in {"%", "percent", "per cent"} else "")
        value *= _SCALE.get(scale, 1.0)
        if not unit and m.group(4):
            unit = m.group(4).lower()
        return value, unit
    words = re.findall(r"[a-z-]+", text.lower())
    for i, w in enumerate(words):
        if w in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[w])
            unit = ""
            for nxt in words[i + 1 : i + 3]:
                if nxt in _SCALE:
                    value *= _SCALE[nxt]
                elif nxt not in _NUMBER_WORDS:
                    unit = nxt
                    break
            return value, unit
    return None


_MONTH_NUMBER = {m[:3]: i for i, m in enumerate(MONTHS, start=1)}
_DAY_NUMBER = {d: i for i, d in enumerate(WEEKDAYS)}


def parse_time(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, weekday) named by a time expression, or None when it names no point in time."""
    low = text.lower()
    year = re.search(r"\b(19|20)\d{2}\b", low)
    month = next((n for name, n in _MONTH_NUMBER.items() if re.search(rf"\b{name}[a-z]*\b", low)), None)
    day = next((n for name, n in _DAY_NUMBER.items() if name in low), None)
    if year is None and month is None and day is None:
        return None
    return (int(year.group(0)) if year else None, month, day)
