"""Gold and predictions as the scorer sees them: span keys, attributions, content types, corpus files.

Span key
    A span (one or more pieces) is reduced to the set of its *significant* character positions:
    characters that are neither whitespace nor punctuation (Unicode category ``P*``, plus the
    backtick and the acute accent). Edge punctuation, quote marks and the gaps between pieces
    therefore do not matter. A span with no significant character (a ``:`` or dash cue) is keyed
    by its non-space characters; a whitespace-only span is dropped.

Gold files
    ``DIR/text/<article>.txt`` and ``DIR/attributions/*.ann``; an ``.ann`` belongs to the article
    whose name is its stem, or its stem without a trailing ``_<annotator>``; when an article has
    several, the lexicographically first file name is used. Files are read as UTF-8 bytes, line
    ends untouched, since offsets count code points. An article with no ``.ann`` has no gold.

Content type
    from a gold content's own characters: each piece is widened to an adjacent opening double
    quote mark on the left and, after at most two of ``,.;:!?``, a closing one on the right; the
    text from the first to the last widened piece is scanned once, quote marks toggling
    inside/outside. *direct*: a double mark and every significant character of the pieces inside
    quotes; *mixed*: a mark and some significant character outside; *indirect*: no double mark
    (single quotes are apostrophes and are ignored).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from quotecheck.errors import Errors, InputError
from quotecheck.io.brat import ROLES, parse

if TYPE_CHECKING:
    from quotecheck.models import Quote

__all__ = ["Key", "Attribution", "Article", "build_article", "article_from_ann", "article_from_quotes",
           "content_type", "gold_files", "read_utf8", "CONTENT_TYPES"]

CONTENT_TYPES = ("direct", "mixed", "indirect")
_OPEN = "\u201c\u201e\u00ab"
_CLOSE = "\u201d\u201f\u00bb"
_STRAIGHT = '"'
_DOUBLE = _OPEN + _CLOSE + _STRAIGHT
_NOT_SIGNIFICANT = frozenset("`\u00b4")


@lru_cache(maxsize=4096)
def _significant(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch).startswith("P") or ch in _NOT_SIGNIFICANT)


@dataclass(frozen=True)
class Key:
    """A span reduced to its significant positions (see the module docstring)."""

    pieces: tuple[tuple[int, int], ...]
    key: frozenset[int]
    lo: int
    hi: int

    @classmethod
    def of(cls, pieces: Iterable[tuple[int, int]], text: str) -> Key:
        ordered = tuple(sorted(pieces))
        key = frozenset(p for s, e in ordered for p in range(s, e) if _significant(text[p]))
        if not key:
            key = frozenset(p for s, e in ordered for p in range(s, e) if not text[p].isspace())
        return cls(ordered, key, min(key) if key else -1, max(key) if key else -1)


def content_type(pieces: tuple[tuple[int, int], ...], text: str) -> str:
    """``direct``, ``mixed`` or ``indirect`` for a content (rules in the module docstring)."""
    n = len(text)
    inside: set[int] = set()
    lo = hi = -1
    for s, e in pieces:
        while s > 0 and text[s - 1] in _OPEN + _STRAIGHT:
            s -= 1
        j, k = e, 0
        while j < n and k < 2 and text[j] in ",.;:!?":
            j += 1
            k += 1
        if j < n and text[j] in _CLOSE + _STRAIGHT:
            e = j + 1
        inside.update(range(s, e))
        lo = s if lo < 0 else min(lo, s)
        hi = e if hi < 0 else max(hi, e)
    has_mark = outside = quoted = False
    for i in range(lo, hi):
        ch = text[i]
        if ch in _OPEN:
            quoted = True
        elif ch in _CLOSE:
            quoted = False
        elif ch == _STRAIGHT:
            quoted = not quoted
        elif i in inside and not quoted and _significant(ch):
            outside = True
        if i in inside and ch in _DOUBLE:
            has_mark = True
    if not has_mark:
        return "indirect"
    return "mixed" if outside else "direct"


@dataclass(frozen=True)
class Attribution:
    """One attribution as keys: its content (always), source and cue (or None)."""

    content: Key
    source: Key | None
    cue: Key | None


@dataclass(frozen=True)
class Article:
    """An article's attributions and the distinct role units the role scores count."""

    attributions: tuple[Attribution, ...]
    units: Mapping[str, tuple[Key, ...]]
    issues: int


def build_article(events: list[dict[str, list[tuple[int, int]]]], orphans: list[tuple[str, tuple[tuple[int, int], ...]]],
                  text: str, issues: int) -> Article:
    """Attributions and role units from per-event role pieces plus unreferenced role spans.

    Role units: the role's span in each attribution (all content pieces of one event form one
    unit), plus any role span no event references, deduplicated by key. An unreferenced content
    is a content-only attribution."""
    units: dict[str, list[Key]] = {r: [] for r in ROLES}
    attrs: list[Attribution] = []
    for got in events:
        keys = {r: (Key.of(got[r], text) if got.get(r) else None) for r in ROLES}
        for r in ROLES:
            k = keys[r]
            if k is not None and not k.key:
                keys[r] = None
            elif k is not None:
                units[r].append(k)
        if keys["content"] is not None:
            attrs.append(Attribution(keys["content"], keys["source"], keys["cue"]))
    for role, pieces in orphans:
        k = Key.of(pieces, text)
        if not k.key:
            continue
        units[role].append(k)
        if role == "content":
            attrs.append(Attribution(k, None, None))
    deduped: dict[str, tuple[Key, ...]] = {}
    for r in ROLES:
        seen: dict[frozenset[int], Key] = {}
        for k in units[r]:
            seen.setdefault(k.key, k)
        deduped[r] = tuple(seen.values())
    return Article(tuple(attrs), deduped, issues)


def article_from_ann(ann: str, text: str, path: str) -> Article:
    """A brat ``.ann`` read leniently (malformed lines and dangling references are counted)."""
    doc = parse(ann, text, strict=False, path=path)
    issues = len(doc.issues)
    referenced: set[str] = set()
    events = []
    for event in doc.events:
        got: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        if event.trigger is not None:
            referenced.add(event.trigger)
        for role, tid in event.roles:
            referenced.add(tid)
            if role not in ROLES or tid not in doc.textbounds:
                issues += 1
                continue
            got[role].extend(doc.textbounds[tid].pieces)
        events.append(got)
    orphans = [(tb.type, tb.pieces) for tid, tb in doc.textbounds.items() if tid not in referenced and tb.type in ROLES]
    return build_article(events, orphans, text, issues)


def article_from_quotes(quotes: Iterable[Quote], text: str) -> Article:
    """Predicted quotes as an article."""
    events = [
        {
            "content": [(s.start, s.end) for s in q.content],
            "source": [(q.source.start, q.source.end)] if q.source is not None else [],
            "cue": [(q.cue.start, q.cue.end)] if q.cue is not None else [],
        }
        for q in quotes
    ]
    return build_article(events, [], text, 0)


def read_utf8(path: Path) -> str:
    """UTF-8 text with line ends untouched (offsets count code points of the file as it is)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(Errors.E013.format(path=path, position=err.start), path=str(path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=err.strerror or err), path=str(path)) from err


def gold_files(gold_dir: Path) -> list[tuple[str, Path, Path | None]]:
    """``(article, text path, chosen .ann path or None)`` sorted by article name."""
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    if not gold_dir.is_dir():
        raise InputError(Errors.E050.format(path=gold_dir, reason="no such folder"), path=str(gold_dir))
    if not text_dir.is_dir():
        raise InputError(Errors.E050.format(path=gold_dir, reason="no text/ folder"), path=str(gold_dir))
    articles = sorted(p.name[:-4] for p in text_dir.iterdir() if p.name.endswith(".txt"))
    if not articles:
        raise InputError(Errors.E050.format(path=gold_dir, reason="no .txt files in text/"), path=str(gold_dir))
    names = set(articles)
    chosen: dict[str, str] = {}
    anns = sorted(p.name for p in ann_dir.iterdir() if p.name.endswith(".ann")) if ann_dir.is_dir() else []
    for name in anns:
        stem = name[:-4]
        article = stem if stem in names else (stem.rsplit("_", 1)[0] if "_" in stem else None)
        if article in names:
            chosen.setdefault(article, name)
    return [(a, text_dir / f"{a}.txt", (ann_dir / chosen[a]) if a in chosen else None) for a in articles]
