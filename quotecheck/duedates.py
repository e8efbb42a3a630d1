"""Dates for the promise tracker: a document's date from its file name, and a due date from a time expression.

:func:`due_date` reads the time expressions the event stage keeps with a plan (``Statement.times``:
"in March", "by the end of 2017", "within 30 days", "next week") as the last day they allow,
counted from the day the plan was stated. Precision first: an expression it cannot place on the
calendar ("after the election", "soon", "the first 100 days") gives no due date, so the promise
is never called overdue on a guess; where a plan carries several, the latest wins.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from pathlib import PurePath

__all__ = ["date_in_name", "due_date", "parse_iso"]

_MONTHS = {
    name: n
    for n, names in enumerate(
        (("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",), ("June", "Jun"),
         ("July", "Jul"), ("August", "Aug"), ("September", "Sept", "Sep"), ("October", "Oct"), ("November", "Nov"),
         ("December", "Dec")),
        start=1,
    )
    for name in names
}
#: Month names are matched capitalised only: "may" and "march" are also verbs.
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "ninety": 90}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Last month of each season (meteorological: spring is March to May).
_SEASON_END = {"spring": 5, "summer": 8, "fall": 11, "autumn": 11, "winter": 2}

_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?!\d)")
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*[-–]\s*(?P<last>[0-3]?\d))?\b(?:,?\s+{_YEAR})?")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?")
_MONTH_ONLY = re.compile(rf"\b{_MONTH}(?:,?\s+{_YEAR})?\b")
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_SPAN = re.compile(
    r"\b(?:in|within|over|during)\s+(?:the\s+)?(?:next\s+|coming\s+)?(?P<n>\d+|" + "|".join(_NUMBERS) + r")\s+"
    r"(?P<unit>day|week|month|year)s?\b|\b(?P<n2>\d+|" + "|".join(_NUMBERS) + r")\s+(?P<unit2>day|week|month|year)s?\s+from\s+now\b",
    re.I,
)
_NAME = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)[-_.]?(?P<month>[01]\d)[-_.]?(?P<day>[0-3]\d)(?!\d)")


def parse_iso(value: str | None) -> date | None:
    """``value`` as a date when it is one (YYYY-MM-DD), else None."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_in_name(path: str | None) -> str | None:
    """The ISO date a file name carries (PolNeAR: ``nyt_2016-10-23_title.txt``; also ``20161023``), or None."""
    if not path:
        return None
    for m in _NAME.finditer(PurePath(path).name):
        try:
            return date(int(m["year"]), int(m["month"]), int(m["day"])).isoformat()
        except ValueError:
            continue
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _upcoming(candidate: date, anchor: date | None, *, years: int = 1) -> date:
    """``candidate`` (a date without its year, placed in the anchor's year) moved a year on when it is past."""
    if anchor is None or candidate >= anchor:
        return candidate
    try:
        return candidate.replace(year=candidate.year + years)
    except ValueError:  # 29 February of a year that has none
        return candidate.replace(year=candidate.year + years, day=28)


def _relative(text: str, anchor: date) -> date | None:
    low = text.lower()
    m = _SPAN.search(text)
    if m:
        raw, unit = (m["n"], m["unit"]) if m["n"] else (m["n2"], m["unit2"])
        n = int(raw) if raw.isdigit() else _NUMBERS[raw.lower()]
        unit = unit.lower()
        if unit == "day":
            return anchor + timedelta(days=n)
        if unit == "week":
            return anchor + timedelta(weeks=n)
        return _add_months(anchor, n * (12 if unit == "year" else 1))
    if re.search(r"\bnext year\b", low):
        return date(anchor.year + 1, 12, 31)
    if re.search(r"\b(?:this|the) year\b|\byear[’']s end\b|\byear-end\b|\bend of (?:the )?year\b", low):
        return date(anchor.year, 12, 31)
    if re.search(r"\bnext month\b", low):
        nxt = _add_months(anchor.replace(day=1), 1)
        return _month_end(nxt.year, nxt.month)
    if re.search(r"\b(?:this|the) month\b|\bend of (?:the )?month\b", low):
        return _month_end(anchor.year, anchor.month)
    if re.search(r"\bnext week\b", low):
        return anchor + timedelta(days=6 - anchor.weekday() + 7)
    if re.search(r"\b(?:this|the) week\b", low):
        return anchor + timedelta(days=6 - anchor.weekday())
    if re.search(r"\btomorrow\b", low):
        return anchor + timedelta(days=1)
    if re.search(r"\b(?:today|tonight)\b", low):
        return anchor
    for n, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", low):  # this coming one; a Tuesday paper's "Tuesday" is that day
            return anchor + timedelta(days=(n - anchor.weekday()) % 7)
    for season, last in _SEASON_END.items():
        if re.search(rf"\b{season}\b", low):
            year = anchor.year + (1 if season == "winter" and anchor.month >= 3 else 0)
            return _upcoming(_month_end(year, last), anchor)
    return None


def _absolute(text: str, anchor: date | None) -> date | None:
    m = _ISO.search(text)
    if m:
        return parse_iso(m.group())
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if m:
            year = int(m["year"]) if m["year"] else (anchor.year if anchor else None)
            if year is None:
                return None
            try:
                day = m.groupdict().get("last") or m["day"]  # "March 17-18": due by the last day
                found = date(year, _MONTHS[m["month"]], int(day))
            except ValueError:
                return None
            return found if m["year"] else _upcoming(found, anchor)
    m = _MONTH_ONLY.search(text)
    if m:
        if m["year"]:
            return _month_end(int(m["year"]), _MONTHS[m["month"]])
        if anchor is None:
            return None
        month = _MONTHS[m["month"]]
        return _month_end(anchor.year + (1 if month < anchor.month else 0), month)
    m = _YEAR_ONLY.search(text)
    if m:
        return date(int(m["year"]), 12, 31)
    return None


def due_date(times: list[str], anchor: date | None) -> tuple[date, str] | None:
    """The due date the time expressions ``times`` of a plan stated on ``anchor`` give, with the
    expression it came from: the latest date on or after ``anchor`` (any date when ``anchor`` is
    unknown and the expression names its year). None when no expression can be placed."""
    found: list[tuple[date, str]] = []
    for text in times:
        when = _absolute(text, anchor)
        if when is None and anchor is not None:
            when = _relative(text, anchor)
        if when is not None and (anchor is None or when >= anchor):
            found.append((when, text))
    return max(found, key=lambda x: x[0]) if found else None
