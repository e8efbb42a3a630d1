"""brat standoff for attributions: ``Source``, ``Cue`` and ``Content`` text-bound spans tied by
``Attribution`` events, the format of PolNeAR and of ``quotecheck quotes --format brat``.

Written lines::

    T1	Source 0 12	Ash Carter
    T2	Cue 13 17	said
    T3	Content 19 40;60 80	first piece second piece
    E1	Attribution:T2 Source:T1 Cue:T2 Content:T3
    #1	AnnotatorNotes E1	q1

Offsets are code points into the text, half-open, exactly as in :class:`~quotecheck.models.Span`;
a discontinuous content lists its pieces as ``start end;start end`` and its text field joins the
pieces with a space. Tabs and line breaks inside a span are written as spaces in the text field
(offsets stay exact), so every annotation is one line. The event's trigger is the cue, or the
content when there is no cue; missing roles are left out. The quote id travels in an
``AnnotatorNotes`` comment, which other brat tools ignore.

:func:`parse` reads the lines leniently (the evaluator needs the same tolerance as the reference
scorer) or strictly; :func:`loads` reads strictly and raises :class:`InputError` ``[E051]``
naming the line of the first malformed annotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quotecheck.errors import Errors, InputError
from quotecheck.models import Analysis, Quote, Span

__all__ = ["dumps", "loads", "parse", "BratDocument", "TextBound", "Event", "ROLES"]

#: The text-bound types that carry attribution roles, lower-cased.
ROLES = ("source", "cue", "content")
_TYPE_NAMES = {"source": "Source", "cue": "Cue", "content": "Content"}
#: Whitespace that would break a brat line, mapped 1:1 to spaces.
_FLATTEN = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\x0b": " ", "\x0c": " ", "\u2028": " ", "\u2029": " "})
_WS = re.compile(r"\s+")
_ROLE_DIGITS = re.compile(r"\d+$")
_NOTE_ID = re.compile(r"^#\d*\tAnnotatorNotes (E\d+)\t(\S+)\s*$")
#: Lines brat allows that carry nothing for attributions: attributes, relations, normalisations.
_IGNORED_TAGS = ("#", "A", "R", "N", "M")


@dataclass(frozen=True)
class TextBound:
    """One ``T`` line: its type (lower-cased) and its pieces in file order."""

    id: str
    type: str
    pieces: tuple[tuple[int, int], ...]
    line: int


@dataclass(frozen=True)
class Event:
    """One ``E`` line: ``(role, T id)`` pairs, role lower-cased without digits (``content2`` → ``content``)."""

    id: str
    trigger: str | None
    roles: tuple[tuple[str, str], ...]
    line: int


@dataclass
class BratDocument:
    """The parsed lines of one ``.ann`` file; ``issues`` lists what a lenient parse skipped."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    issues: list[tuple[int, str]] = field(default_factory=list)


def _flat(text: str) -> str:
    return text.translate(_FLATTEN)


def dumps(analysis: Analysis) -> str:
    """The quotes of ``analysis`` as brat standoff (one annotation a line, ending with a newline)."""
    lines: list[str] = []
    t = 0

    def textbound(kind: str, spans: tuple[Span, ...]) -> str:
        nonlocal t
        t += 1
        offsets = ";".join(f"{s.start} {s.end}" for s in spans)
        lines.append(f"T{t}\t{_TYPE_NAMES[kind]} {offsets}\t{' '.join(_flat(s.text) for s in spans)}")
        return f"T{t}"

    for n, quote in enumerate(analysis.quotes, start=1):
        src = textbound("source", (quote.source,)) if quote.source is not None else None
        cue = textbound("cue", (quote.cue,)) if quote.cue is not None else None
        content = textbound("content", quote.content) if quote.content else None
        trigger = cue or content or src
        if trigger is None:
            continue
        roles = [f"{name}:{tid}" for name, tid in (("Source", src), ("Cue", cue), ("Content", content)) if tid]
        lines.append(f"E{n}\tAttribution:{trigger} " + " ".join(roles))
        lines.append(f"#{n}\tAnnotatorNotes E{n}\t{quote.id}")
    return "".join(line + "\n" for line in lines)


def parse(ann: str, text: str, *, strict: bool = True, path: str = "<ann>") -> BratDocument:
    """Read the ``T`` and ``E`` lines of ``ann`` against ``text``.

    ``strict``: the first malformed line raises ``[E051]``; otherwise it is skipped and recorded
    in ``issues``. A span's text field, when present, must equal the text at its offsets up to
    whitespace (a prefix is accepted: some corpora cut the field at a line break).
    """
    doc = BratDocument()

    def bad(number: int, reason: str) -> None:
        if strict:
            raise InputError(Errors.E051.format(path=path, line=number, reason=reason), path=path)
        doc.issues.append((number, reason))

    for number, raw in enumerate(ann.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t")
        tag = parts[0]
        if tag.startswith("T") and len(parts) >= 2:
            _parse_textbound(doc, parts, text, number, bad)
        elif tag.startswith("E") and len(parts) >= 2:
            _parse_event(doc, parts, number, bad)
        elif tag.startswith("#"):
            note = _NOTE_ID.match(line)
            if note:
                doc.notes[note.group(1)] = note.group(2)
        elif not tag.startswith(_IGNORED_TAGS):
            bad(number, f"unknown annotation {line[:40]!r}")
    return doc


def _parse_textbound(doc: BratDocument, parts: list[str], text: str, number: int, bad) -> None:
    head = parts[1].split(" ", 1)
    if len(head) != 2:
        bad(number, f"no offsets in {parts[1][:40]!r}")
        return
    kind = head[0].strip().lower()
    pieces: list[tuple[int, int]] = []
    for fragment in head[1].split(";"):
        nums = fragment.split()
        if len(nums) != 2 or not nums[0].isdigit() or not nums[1].isdigit():
            bad(number, f"offsets {fragment.strip()[:30]!r} are not 'start end'")
            return
        start, end = int(nums[0]), int(nums[1])
        if not 0 <= start <= end <= len(text):
            bad(number, f"offsets {start} {end} outside the text of {len(text)} characters")
            return
        pieces.append((start, end))
    if len(parts) >= 3 and kind in ROLES:
        want = _WS.sub(" ", " ".join(text[s:e] for s, e in pieces)).strip()
        got = _WS.sub(" ", parts[2]).strip()
        if got != want and not (got and want.startswith(got)):
            bad(number, f"text {got[:30]!r} differs from {want[:30]!r} at its offsets")  # kept when lenient
    doc.textbounds[parts[0]] = TextBound(parts[0], kind, tuple(pieces), number)


def _parse_event(doc: BratDocument, parts: list[str], number: int, bad) -> None:
    trigger: str | None = None
    roles: list[tuple[str, str]] = []
    for k, item in enumerate(parts[1].split()):
        if ":" not in item:
            bad(number, f"event argument {item!r} is not 'Role:T<n>'")
            continue
        role, tid = item.split(":", 1)
        if k == 0 and role.lower().startswith("attribution"):
            trigger = tid
            continue
        roles.append((_ROLE_DIGITS.sub("", role).lower(), tid))
    doc.events.append(Event(parts[0], trigger, tuple(roles), number))


def loads(ann: str, text: str, *, path: str = "<ann>") -> tuple[Quote, ...]:
    """The attributions of a brat ``.ann`` as quotes over ``text`` (kind recomputed, no speakers).

    Every ``Attribution`` event with a content becomes a quote; a content span no event uses
    becomes a quote of its own. Quotes are ordered by content offset; ids come from the
    ``AnnotatorNotes`` written by :func:`dumps`, else ``q<n>`` in that order.
    """
    from quotecheck.config import Config
    from quotecheck.pipeline.quotes import content_kind, mark_quotes
    from quotecheck.pipeline.segment import segment

    doc = parse(ann, text, strict=True, path=path)
    norm: str | None = None  # the text's quote marks, read once, as the quotes stage reads them
    drafts: list[tuple[str | None, dict[str, list[tuple[int, int]]]]] = []
    used: set[str] = set()
    for event in doc.events:
        got: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        if event.trigger is not None:
            used.add(event.trigger)
        for role, tid in event.roles:
            if role not in ROLES:
                raise InputError(Errors.E051.format(path=path, line=event.line, reason=f"unknown role {role!r}"))
            if tid not in doc.textbounds:
                raise InputError(Errors.E051.format(path=path, line=event.line, reason=f"no annotation {tid}"))
            used.add(tid)
            got[role].extend(doc.textbounds[tid].pieces)
        if got["content"]:
            drafts.append((doc.notes.get(event.id), got))
    for tb in doc.textbounds.values():
        if tb.type == "content" and tb.id not in used:
            drafts.append((None, {"content": list(tb.pieces), "source": [], "cue": []}))
    drafts.sort(key=lambda d: min(d[1]["content"]))
    quotes: list[Quote] = []
    taken = {d[0] for d in drafts if d[0]}
    n = 0
    for qid, got in drafts:
        if qid is None:
            n += 1
            while f"q{n}" in taken:
                n += 1
            qid = f"q{n}"
        content = tuple(Span.of(text, s, e) for s, e in sorted(set(got["content"])))
        if norm is None:
            norm = mark_quotes(text, segment(text), Config()).norm
        quotes.append(
            Quote(
                id=qid,
                kind=content_kind(text, content, norm=norm),
                content=content,
                cue=_single(text, got["cue"]),
                source=_single(text, got["source"]),
            )
        )
    return tuple(quotes)


def _single(text: str, pieces: list[tuple[int, int]]) -> Span | None:
    """One span for a role; several pieces are joined into their hull (Quote has one source/cue span)."""
    if not pieces:
        return None
    return Span.of(text, min(s for s, _ in pieces), max(e for _, e in pieces))
