"""Word lists as package data (plain text, read once with importlib.resources)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

__all__ = ["lines", "inflections", "cue_forms", "titles", "PredicateTable", "predicate_table", "MONTHS", "WEEKDAYS", "MONTH_ABBREVIATIONS"]


#: Calendar words, shared by every stage that reads dates (one list, one spelling).
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=None)
def lines(name: str) -> tuple[tuple[str, ...], ...]:
    """Non-comment lines of ``lexicon/<name>`` split on whitespace."""
    raw = files(__name__).joinpath(name).read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(tuple(line.split()))
    return tuple(out)


def _regular(lemma: str) -> tuple[str, str, str]:
    """(third person, past, gerund) of a regular English verb."""
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma.endswith("e"):
        past, gerund = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        past, gerund = lemma[:-1] + "ied", lemma + "ing"
    else:
        past, gerund = lemma + "ed", lemma + "ing"
    if lemma.endswith("ie"):
        gerund = lemma[:-2] + "ying"
    return third, past, gerund


def inflections(lemma: str, past: str | None = None, participle: str | None = None) -> dict[str, str]:
    """Every surface form of a verb mapped to its lemma; irregular forms override regular ones."""
    third, reg_past, gerund = _regular(lemma)
    if past and past.endswith(("pped", "tted", "gged", "nned", "mmed", "lled", "dded")):
        gerund = past[:-2] + "ing"
    forms = {lemma: lemma, third: lemma, gerund: lemma, past or reg_past: lemma}
    if re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", lemma):
        forms[lemma + lemma[-1] + "ing"] = lemma  # hit -> hitting, stop -> stopping
    forms[participle or past or reg_past] = lemma
    return forms


@lru_cache(maxsize=None)
def verb_forms(name: str) -> dict[str, str]:
    """Surface form → lemma for every verb in a lexicon file of ``lemma [past [participle]]`` lines."""
    out: dict[str, str] = {}
    for row in lines(name):
        out.update(inflections(*row[:3]))
    return out


def cue_forms() -> dict[str, str]:
    """Surface form → lemma for attribution cue verbs."""
    return verb_forms("cues.txt")


@lru_cache(maxsize=None)
def titles() -> frozenset[str]:
    """Lower-cased title words that can precede a person's name."""
    return frozenset(w for row in lines("titles.txt") for w in row)


@dataclass(frozen=True)
class PredicateTable:
    """``predicates.tsv`` read into look-ups: (lemma, pos) → classes, and multiword phrases.

    A phrase such as ``call off`` is keyed on its first lemma; the others must hang on that word in
    the parse (:meth:`phrases`).
    """

    single: dict[tuple[str, str], frozenset[str]]
    multi: dict[tuple[str, str], tuple[tuple[tuple[str, ...], str], ...]]
    event_only: frozenset[tuple[str, str]]

    def classes(self, lemma: str, pos: str) -> frozenset[str]:
        """Classes of a one-word entry (empty when the word is not in the table)."""
        return self.single.get((lemma.lower(), pos), frozenset())

    def phrases(self, lemma: str, pos: str) -> tuple[tuple[tuple[str, ...], str], ...]:
        """(other lemmas, class) of every phrase starting with ``lemma``."""
        return self.multi.get((lemma.lower(), pos), ())

    def needs_event(self, lemma: str, cls: str) -> bool:
        """True when ``lemma`` of class ``cls`` counts only if it acts on a planned event or plan."""
        return (lemma.lower(), cls) in self.event_only

    def words(self, cls: str, pos: str | None = None) -> frozenset[str]:
        """Every one-word entry of class ``cls`` (and part of speech ``pos``)."""
        return frozenset(w for (w, p), c in self.single.items() if cls in c and (pos is None or p == pos))


@lru_cache(maxsize=1)
def predicate_table() -> PredicateTable:
    """The predicate classes of ``lexicon/predicates.tsv`` (read once)."""
    single: dict[tuple[str, str], set[str]] = {}
    multi: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
    needs: set[tuple[str, str]] = set()
    raw = files(__name__).joinpath("predicates.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        phrase, pos, cls = parts[:3]
        words = tuple(phrase.lower().split())
        if len(parts) > 3 and parts[3] == "event":
            needs.add((words[0], cls))
        if len(words) == 1:
            single.setdefault((words[0], pos), set()).add(cls)
        else:
            multi.setdefault((words[0], pos), []).append((words[1:], cls))
    return PredicateTable(
        single={k: frozenset(v) for k, v in single.items()},
        multi={k: tuple(v) for k, v in multi.items()},
        event_only=frozenset(needs),
    )
