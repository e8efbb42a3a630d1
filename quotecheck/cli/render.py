"""Plain-text rendering of analyses, comparisons and corpus findings for the terminal.

Tables never cut a name, an id or a verb: every column but the last is as wide as its longest
cell, and the last one (quote content, statement, explanation) wraps onto continuation lines at
``width`` (the terminal width), or runs on in one line when ``width`` is None (``--wide``).
Nothing is ever replaced by "…", so what the table shows can be searched for in the text.
Every document is named by its source (the file it was read from) and its id.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from quotecheck.io.summary import findings_summary, plural
from quotecheck.models import Analysis, Comparison, Finding, Span, Statement

__all__ = [
    "quotes_table",
    "analysis_text",
    "comparison_text",
    "findings_text",
    "corpus_findings_text",
    "terminal_width",
    "table",
    "DocRef",
    "finding_sides",
]

#: The last column never gets narrower than this (characters), however wide the others are.
MIN_LAST_COLUMN = 24
#: Width assumed when there is no terminal and $COLUMNS is not set.
FALLBACK_WIDTH = 100


def terminal_width() -> int:
    """Columns of the terminal (or $COLUMNS), :data:`FALLBACK_WIDTH` when there is none."""
    return shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns


def _one_line(text: str) -> str:
    return " ".join(text.split())


def table(header: Sequence[str], rows: Iterable[Sequence[str]], *, width: int | None) -> list[str]:
    """Rows under ``header``; columns sized to their longest cell, the last one wrapped at ``width``."""
    cells = [[_one_line(c) for c in row] for row in rows]
    head = list(header)
    widths = [max([len(head[i])] + [len(r[i]) for r in cells]) for i in range(len(head) - 1)]
    indent = sum(w + 1 for w in widths)
    last = None if width is None else max(width - indent, MIN_LAST_COLUMN)

    def line(row: Sequence[str]) -> list[str]:
        lead = " ".join(f"{c:<{w}}" for c, w in zip(row, widths))
        pieces = textwrap.wrap(row[-1], last, break_on_hyphens=False) if last and row[-1] else [row[-1]]
        out = [f"{lead} {pieces[0]}".rstrip()]
        out += [" " * indent + p for p in pieces[1:]]
        return out

    lines = line(head)
    for row in cells:
        lines += line(row)
    return lines


def _title(analysis: Analysis, name: str) -> str:
    """How a document is named: its source and its id (``a.txt (d3f2…)``)."""
    where = analysis.source or name or analysis.doc_id
    return where if where == analysis.doc_id else f"{where} ({analysis.doc_id})"


def quotes_table(analysis: Analysis, name: str = "", *, width: int | None = None) -> str:
    lines = [f"== {_title(analysis, name)}: {plural(len(analysis.quotes), 'quote')}, {plural(len(analysis.entities), 'speaker')}"]
    rows = []
    for q in analysis.quotes:
        speaker = q.speaker_name or "?"
        if q.source is not None and q.source.text != speaker:
            speaker = f"{speaker} ({q.source.text})"
        rows.append((q.id, q.kind, speaker, q.cue.text if q.cue else "-", " … ".join(c.text for c in q.content)))
    lines += table(("id", "kind", "speaker", "cue", "content"), rows, width=width)
    return "\n".join(lines)


def _statements_table(statements: Iterable[Statement], *, width: int | None) -> list[str]:
    rows = [(s.id, s.kind, s.actor_name, s.predicate, "not" if s.negated else "", s.span.text) for s in statements]
    return table(("id", "kind", "actor", "verb", "neg", "statement"), rows, width=width)


def _label(f: Finding) -> str:
    return f.verdict.upper() + (f" ({f.type})" if f.type else "")


def findings_text(findings: Iterable[Finding], *, width: int | None = None) -> list[str]:
    """One row per finding, in the order given (the checker orders them)."""
    findings = list(findings)
    if not findings:
        return ["no findings"]
    rows = [(f.id, _label(f), f"{f.score:.2f}", f.explanation) for f in findings]
    return table(("id", "verdict", "score", "explanation"), rows, width=width)


def analysis_text(analysis: Analysis, name: str = "", *, width: int | None = None) -> str:
    lines = [quotes_table(analysis, name, width=width), ""]
    lines.append(f"-- statements: {len(analysis.statements)}")
    lines += _statements_table(analysis.statements, width=width)
    lines += ["", f"-- {findings_summary(analysis.findings)}"]
    lines += findings_text(analysis.findings, width=width)
    return "\n".join(lines)


def comparison_text(comparison: Comparison, names: tuple[str, str] = ("A", "B"), *, width: int | None = None) -> str:
    intentions = [s for s in comparison.a.statements if s.kind == "intention"]
    actions = [s for s in comparison.b.statements if s.kind == "action"]
    lines = [f"== intentions in {_title(comparison.a, names[0])}: {len(intentions)}"]
    lines += _statements_table(intentions, width=width)
    lines += ["", f"== actions in {_title(comparison.b, names[1])}: {len(actions)}"]
    lines += _statements_table(actions, width=width)
    lines += ["", f"-- {findings_summary(comparison.findings)}"]
    lines += findings_text(comparison.findings, width=width)
    return "\n".join(lines)


# -- corpus findings (index check): both documents named, both spans quoted --------------------


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
        ev = next((e for e in finding.evidence if e.role == role), None)
        statement = statements.get(sid)
        doc_id = ev.doc_id if ev is not None else (statement.doc_id if statement is not None else sid.split(":")[0])
        span = ev.span if ev is not None else (statement.span if statement is not None else None)
        doc = documents.get(doc_id)
        date = (doc.date if doc is not None else None) or (statement.date if statement is not None else None)
        sides.append(DocRef(role, doc_id, doc.source if doc is not None else None, date, sid, span))
    return sides[0], sides[1]


def corpus_findings_text(findings: Sequence[Finding], sides: Sequence[tuple[DocRef, DocRef]], *, width: int | None = None) -> list[str]:
    """``index check`` as text: each finding, then its intention and its action with document and span."""
    if not findings:
        return ["no findings"]
    lines = [f"-- {findings_summary(findings)}"]
    for f, pair in zip(findings, sides):
        lines += ["", f"{f.id}  {_label(f)}  score {f.score:.2f}  {f.actor_name}"]
        rows = []
        for side in pair:
            where = f"{side.source or '(source unknown)'} [{side.doc_id}]" + (f" {side.date}" if side.date else "")
            at = f"[{side.span.start}, {side.span.end})" if side.span is not None else "[?]"
            rows.append((side.role, where, at, f"“{side.span.text}”" if side.span is not None else side.statement))
        lines += ["  " + line for line in table(("", "document", "at", "span"), rows, width=None if width is None else width - 2)[1:]]
        explanation = textwrap.wrap(f.explanation, max(width - 2, MIN_LAST_COLUMN)) if width else [f.explanation]
        lines += ["  " + line for line in explanation]
    return lines
