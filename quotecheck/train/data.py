"""Annotated articles for training: a brat folder read into texts, gold roles and BIO labels.

A folder holds ``text/<article>.txt`` and ``attributions/<article>[_<annotator>].ann`` exactly as
PolNeAR and ``quotecheck quotes --format brat`` write them; the first ``.ann`` by name is used
per article (the reference scorer's rule). Every ``Attribution`` event's Source, Cue and Content
pieces label the tokens they cover; an unreferenced Content span labels its tokens as content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quotecheck.errors import Errors, InputError
from quotecheck.eval.gold import gold_files, read_utf8
from quotecheck.io.brat import ROLES, parse
from quotecheck.pipeline.attribution.features import ROLE_LABELS
from quotecheck.pipeline.attribution.tokens import Token
from quotecheck.pipeline.segment import Segmentation, segment

__all__ = ["Article", "read_folder", "labels_for"]


@dataclass(frozen=True)
class Article:
    """One annotated text: ``events`` holds each gold attribution as ``(role, pieces)`` pairs
    (an unreferenced Content span is an attribution of its own)."""

    name: str
    text: str
    seg: Segmentation
    events: tuple[tuple[tuple[str, tuple[tuple[int, int], ...]], ...], ...]

    @property
    def units(self) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
        """Every role span of every attribution, in event order."""
        return [unit for event in self.events for unit in event]


def read_folder(folder: str | Path) -> list[Article]:
    """Every article of ``folder`` that has an ``.ann`` file, sorted by name."""
    folder = Path(folder)
    try:
        files = gold_files(folder)
    except InputError as err:
        raise InputError(Errors.E123.format(path=folder, reason=err), path=str(folder)) from err
    out = []
    for name, text_path, ann_path in files:
        if ann_path is None:
            continue
        text = read_utf8(text_path)
        doc = parse(read_utf8(ann_path), text, strict=False, path=str(ann_path))
        events: list[tuple[tuple[str, tuple[tuple[int, int], ...]], ...]] = []
        used: set[str] = set()
        for event in doc.events:
            got: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
            for role, tid in event.roles:
                used.add(tid)
                if role in ROLES and tid in doc.textbounds:
                    got[role].extend(doc.textbounds[tid].pieces)
            if event.trigger:
                used.add(event.trigger)
            if any(got.values()):
                events.append(tuple((r, tuple(sorted(got[r]))) for r in ROLES if got[r]))
        events.extend(
            (("content", tb.pieces),) for tid, tb in doc.textbounds.items() if tid not in used and tb.type == "content"
        )
        out.append(Article(name, text, segment(text), tuple(events)))
    if not out:
        raise InputError(Errors.E123.format(path=folder, reason="no .ann file matches a text"), path=str(folder))
    return out


def labels_for(article: Article, tokens: tuple[Token, ...] | list[Token]) -> list[str]:
    """BIO labels (``B-SRC``, ``I-CON``, …, ``O``) of ``tokens`` from the article's gold units.

    A token takes the role of the first unit whose pieces it overlaps; ``B`` starts every run of
    one unit (the pieces of a split content each start with ``B``)."""
    if not tokens:
        return []
    lo, hi = tokens[0].start, tokens[-1].end
    marks: list[tuple[int, int, int, str]] = []
    for n, (role, pieces) in enumerate(article.units):
        for s, e in pieces:
            if s < hi and e > lo:
                marks.append((s, e, n, ROLE_LABELS[role]))
    out: list[str] = []
    previous: int | None = None
    for t in tokens:
        unit = None
        for s, e, n, role in marks:
            if t.start < e and t.end > s and t.text.strip():
                unit = (n, role)
                break
        if unit is None:
            out.append("O")
            previous = None
            continue
        out.append(("I-" if previous == unit[0] else "B-") + unit[1])
        previous = unit[0]
    return out
