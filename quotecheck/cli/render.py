"""Plain-text rendering for the terminal: findings first, then (on request) quotes and statements.

``check``, ``compare`` and ``index check`` lead with one summary across all inputs (counts by
verdict and type), then every finding: who holds the commitment, what was stated and what was
reported (file, date and character offsets of each), the verdict and why. A document with
nothing to report takes one line. Quote and statement tables follow only when asked for
(``--show quotes,statements`` or ``-v``).

Every line fits ``width`` (the terminal's, ``$COLUMNS``, else 100): table columns are sized to
the width and a long cell wraps inside its column, never widening the table. Quoted spans are
shortened after a whole word with "…" (their offsets and the JSON keep them whole); ``width``
None (``--wide``) keeps every row and span on one line, whole, for ``grep``.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quotecheck.io.cut import cut_words, one_line
from quotecheck.io.records import FindingRecord, Side, side_of
from quotecheck.io.summary import findings_summary, plural
from quotecheck.models import Analysis, Finding, Span, Statement

__all__ = [
    "quotes_table",
    "statements_table",
    "findings_text",
    "findings_view",
    "Group",
    "analysis_group",
    "wrap",
    "why_of",
    "terminal_width",
    "table",
    "title",
    "DocRef",
    "finding_sides",
    "SHOW_CHOICES",
]

#: Width assumed when there is no terminal and $COLUMNS is not set.
FALLBACK_WIDTH = 100
#: A column is never made narrower than this (characters) to fit the width, unless its cells are.
MIN_COLUMN = 4
#: The last column (content, statement, explanation) keeps at least this share of the width.
LAST_SHARE = 0.45
#: Lines a quoted span may take in the findings view before it is shortened (after a whole word):
#: one, so that twelve texts with four findings fit on a screen; its offsets lead to the whole.
SPAN_LINES = 1
#: Indent of the lines under a finding's head, and width of their labels.
_INDENT, _LABEL = 4, 10
#: Line breaks and tabs: a wrapped text is one paragraph (runs of spaces are kept: they separate fields).
_SPACES = re.compile(r"[^\S ]+")
#: What ``--show`` takes.
SHOW_CHOICES = ("quotes", "statements")


def terminal_width() -> int:
    """Columns of the terminal ($COLUMNS first), :data:`FALLBACK_WIDTH` when there is none."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def wrap(text: str, width: int | None, *, indent: int = 0, first: str = "") -> list[str]:
    """``first + text`` wrapped at ``width``; continuation lines indented by ``indent``.

    A word longer than the room left is broken rather than let the line run past ``width``.
    ``width`` None gives one line.
    """
    text = _SPACES.sub(" ", text)
    if width is None:
        return [(first + text).rstrip()]
    room = max(width, indent + 1)
    lines = textwrap.wrap(
        text, room, initial_indent=first, subsequent_indent=" " * indent, break_on_hyphens=False, break_long_words=True
    )
    return lines or [first.rstrip()]


def _column_widths(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Widths that sum to at most ``room`` (when the floors allow): the last column keeps its
    share, and of the others the widest gives way first, never below its floor."""
    if sum(natural) <= room:
        return list(natural)
    last = len(natural) - 1
    reserve = min(natural[last], max(floors[last], int(room * LAST_SHARE)))
    others = natural[:last]
    while sum(others) > room - reserve:
        shrinkable = [i for i in range(last) if others[i] > floors[i]]
        if not shrinkable:
            break
        others[max(shrinkable, key=lambda k: others[k])] -= 1
    return [*others, max(floors[last], min(natural[last], room - sum(others)))]


def _floors(head: Sequence[str], cells: Sequence[Sequence[str]], natural: list[int], room: int) -> list[int]:
    """The narrowest each column may become: its longest word (so no word is broken), unless
    the words alone do not fit in ``room``; then the longest words give way, down to :data:`MIN_COLUMN`."""
    n = len(head)
    words = [max([len(w) for r in cells for w in r[i].split()] + [len(head[i])]) for i in range(n)]
    floors = [min(natural[i], max(words[i], MIN_COLUMN)) for i in range(n)]
    while sum(floors) > room:
        widest = max(range(n), key=lambda k: floors[k])
        if floors[widest] <= MIN_COLUMN:
            break
        floors[widest] -= 1
    return floors


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, width: int | None) -> list[str]:
    """Rows under ``header`` in columns sized to ``width``; a long cell wraps within its column.

    The last column gets what the others leave (and at least :data:`LAST_SHARE` of the width
    when its cells need it); the widest other column gives way first. ``width`` None: every
    column as wide as its longest cell, one line per row.
    """
    cells = [[one_line(c) for c in row] for row in rows]
    head = list(header)
    n = len(head)
    natural = [max([len(head[i])] + [len(r[i]) for r in cells]) for i in range(n)]
    if width is None:
        widths = natural[:-1] + [0]
    else:
        room = max(width - (n - 1), n)
        widths = _column_widths(natural, _floors(head, cells, natural, room), room)

    def line(row: Sequence[str]) -> list[str]:
        if width is None:
            lead = " ".join(f"{c:<{w}}" for c, w in zip(row[:-1], widths))
            return [f"{lead} {row[-1]}".rstrip()]
        pieces = [textwrap.wrap(c, max(w, 1), break_on_hyphens=False) or [""] for c, w in zip(row, widths)]
        out = []
        for k in range(max(len(p) for p in pieces)):
            parts = [f"{(p[k] if k < len(p) else ''):<{w}}" for p, w in zip(pieces, widths)]
            out.append(" ".join(parts).rstrip())
        return out

    lines = line(head)
    for row in cells:
        lines += line(row)
    return lines


def title(analysis: Analysis, name: str = "") -> str:
    """How a document is named: its source and its id (``a.txt (d3f2…)``), and its date when known."""
    where = analysis.source or name or analysis.doc_id
    out = where if where == analysis.doc_id else f"{where} ({analysis.doc_id})"
    return f"{out} {analysis.date}" if analysis.date else out


def quotes_table(analysis: Analysis, name: str = "", *, width: int | None = None) -> str:
    """``quotecheck quotes`` as text: a heading naming the document, then one row per quote."""
    lines = wrap(f"== {title(analysis, name)}: {plural(len(analysis.quotes), 'quote')}, {plural(len(analysis.entities), 'speaker')}", width, indent=3)
    rows = []
    for q in analysis.quotes:
        speaker = q.speaker_name or "?"
        if q.source is not None and q.source.text != speaker:
            speaker = f"{speaker} ({q.source.text})"
        rows.append((q.id, q.kind, speaker, q.cue.text if q.cue else "-", " … ".join(c.text for c in q.content)))
    lines += table(("id", "kind", "speaker", "cue", "content"), rows, width=width)
    return "\n".join(lines)


def statements_table(statements: Iterable[Statement], *, width: int | None) -> list[str]:
    rows = [(s.id, s.kind, s.actor_name, s.predicate, "not" if s.negated else "", s.span.text) for s in statements]
    return table(("id", "kind", "actor", "verb", "neg", "statement"), rows, width=width)


def _label(f: Finding | FindingRecord) -> str:
    return f.verdict.upper() + (f" ({f.type})" if f.type else "")


def findings_text(findings: Iterable[Finding], *, width: int | None = None) -> list[str]:
    """One row per finding, in the order given (``batch`` prints cross-article findings so)."""
    findings = list(findings)
    if not findings:
        return ["no findings"]
    rows = [(f.id, _label(f), f"{f.score:.2f}", f.explanation) for f in findings]
    return table(("id", "verdict", "score", "explanation"), rows, width=width)


# -- findings first -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Findings shown under one heading: a document (``check``), a pair of texts (``compare``) or a corpus.

    A side in ``doc_id`` is shown by its offsets alone (the heading names the document); any
    other side names its own file, id and date. ``details`` are the lines ``--show`` adds.
    """

    title: str
    records: Sequence[FindingRecord]
    doc_id: str | None = None
    details: Sequence[str] = field(default_factory=tuple)
    found: str = ""  # what was found besides findings ("2 commitments, 1 outcome"), for a quiet line


#: The judge's explanation restates both spans ("X: planned “…” — reported “…”: timing, due in
#: March"); the findings view shows both spans on their own lines, so only the reason is kept.
_REASON = re.compile(r"^.*“[^“”]*” — reported “[^“”]*”: (?P<why>.+)$", re.S)


def why_of(explanation: str) -> str:
    """The reason part of a judge's explanation (the whole explanation when it is not in the judge's form)."""
    m = _REASON.match(explanation)
    return m.group("why") if m else explanation


def _where(side: Side, home: str | None) -> str:
    """How a side names its document: nothing in the heading's own document, else file [id] date."""
    if home is not None and side.doc_id == home:
        return ""
    name = side.source or "(source unknown)"
    out = f"{name} [{side.doc_id}]" if name != side.doc_id else name
    return f"{out} {side.date} " if side.date else f"{out} "


def _side_lines(label: str, side: Side, home: str | None, width: int | None) -> list[str]:
    """A side of a finding: its document (unless it is the heading's), offsets and the span quoted.

    The span is shortened after a whole word to what fits on one line (:data:`SPAN_LINES`); a
    document name too long to share that line with it takes a line of its own.
    """
    where = _where(side, home)
    first = " " * _INDENT + f"{label:<{_LABEL}}"
    if side.span is None:
        return wrap(f"{where}{side.statement}", width, indent=len(first), first=first)
    at = f"[{side.span.start}, {side.span.end}) "
    if width is None:
        return wrap(f"{where}{at}“{one_line(side.span.text)}”", None, first=first)
    room = max(width - len(first), 20)
    span = one_line(side.span.text)
    if len(where) + len(at) + len(span) + 2 <= room:
        return [f"{first}{where}{at}“{span}”"]
    lines: list[str] = []
    if where and len(where) + len(at) + 2 + 20 > room:
        lines = wrap(where, width, indent=len(first), first=first)
        first, where = " " * len(first), ""
    limit = max(room * SPAN_LINES - len(where) - len(at) - 2, 10)
    return lines + wrap(f"{where}{at}“{cut_words(span, limit)}”", width, indent=len(first), first=first)


def finding_block(record: FindingRecord, home: str | None, width: int | None) -> list[str]:
    """One finding: a head (id, verdict, score, who), then stated, reported and why."""
    who = record.actor + (f" (subject: {record.subject})" if record.subject else "")
    lines = wrap(f"{record.finding}  {_label(record)}  score {record.score:.2f}  {who}", width, indent=_INDENT)
    lines += _side_lines("stated", record.side("stated"), home, width)
    lines += _side_lines("reported", record.side("reported"), home, width)
    first = " " * _INDENT + f"{'why':<{_LABEL}}"
    lines += wrap(why_of(record.explanation), width, indent=len(first), first=first)
    return lines


def findings_view(groups: Sequence[Group], *, width: int | None, scope: str | None = None) -> list[str]:
    """The findings-first view: the summary across ``groups`` (``scope`` says over what: "in 12
    texts" by default), each group with findings and its findings, then one line per group with
    nothing to report, then any ``details``."""
    records = [r for g in groups for r in g.records]
    scope = f"in {plural(len(groups), 'text')}" if scope is None else scope
    lines = wrap(f"-- {findings_summary(records, scope=scope)}", width, indent=3)
    for g in groups:
        if g.records:
            lines += ["", *wrap(f"== {g.title}: {plural(len(g.records), 'finding')}", width, indent=3)]
            for r in g.records:
                lines += finding_block(r, g.doc_id, width)
    quiet = [g for g in groups if not g.records]
    if quiet:
        lines.append("")
        for g in quiet:
            more = f" ({g.found} stated, none paired; --show statements lists them)" if g.found else ""
            lines += wrap(f"{g.title}: nothing to report{more}", width, indent=3)
    for g in groups:
        if g.details:
            lines += ["", *g.details]
    return lines


def analysis_group(analysis: Analysis, records: Sequence[FindingRecord], name: str = "", *, show: Collection[str] = (), width: int | None) -> Group:
    """A checked document as a :class:`Group`, with the tables ``show`` asks for."""
    details: list[str] = []
    if "quotes" in show:
        details += quotes_table(analysis, name, width=width).splitlines()
    if "statements" in show:
        if not details:
            details += wrap(f"== {title(analysis, name)}", width, indent=3)
        details += [f"-- {plural(len(analysis.statements), 'statement')}", *statements_table(analysis.statements, width=width)]
    kinds = [s.kind for s in analysis.statements]
    found = ", ".join(plural(n, word) for n, word in ((kinds.count("intention"), "commitment"), (kinds.count("action"), "outcome")) if n)
    return Group(title(analysis, name), records, analysis.doc_id, details, found)


# -- corpus findings as JSON (index check --format json): both documents named ---------------------


@dataclass(frozen=True)
class DocRef:
    """One side of a corpus finding: which document (source, date) and which span of it."""

    role: str
    doc_id: str
    source: str | None
    date: str | None
    statement: str
    span: Span | None

    def to_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "date": self.date,
            "statement": self.statement,
            "span": None if self.span is None else self.span.model_dump(mode="json"),
        }


def finding_sides(finding: Finding, statements: Mapping[str, Statement], documents: Mapping[str, Analysis]) -> tuple[DocRef, DocRef]:
    """The intention side and the action side of ``finding``, looked up in a corpus.

    The span comes from the finding's own evidence (so it is what the judge saw); the statement
    table is the fallback for a finding without evidence of that role.
    """
    sides = []
    for role, sid in (("intention", finding.intention), ("action", finding.action)):
        side, _ = side_of(finding, role, sid, statements, documents)  # the one lookup records use too
        sides.append(DocRef(role, side.doc_id, side.source, side.date, sid, side.span))
    return sides[0], sides[1]
