"""One self-contained record per finding: what ``--format jsonl --per finding`` and ``--format csv`` write.

A :class:`FindingRecord` is flat (every field a string, number or null), so the JSON Lines and
the CSV hold the same records with the same keys, and a spreadsheet or a newsroom database takes
either without knowing quotecheck's models. Each record names the finding's document (source
path, id, date), both spans with their document and offsets, the actor, the verdict, type, score
and the explanation (quoted spans in it cut after a whole word; both spans whole in their own
fields). ``quotecheck schema finding`` prints its JSON Schema.

The actor is the holder of the commitment: the speaker of a quoted pledge ("the council said
the library would reopen" → the council), else the statement's actor group or actor. Where the
grammatical subject differs it is kept in ``subject``. Only the public models are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quotecheck.errors import Errors
from quotecheck.io.cut import recut_quotes
from quotecheck.models import Analysis, Comparison, Finding, Link, MismatchType, Span, Statement, Verdict

__all__ = [
    "FindingRecord",
    "Side",
    "side_of",
    "holder",
    "finding_records",
    "analysis_records",
    "comparison_records",
    "records_jsonl",
    "records_csv",
    "CSV_COLUMNS",
    "promises_csv",
    "PROMISE_COLUMNS",
]

#: Speakers that relay someone else's plan rather than hold it ("people familiar with the plans").
_RELAYING = frozenset({"anonymous", "unknown"})
#: Actor names that name nobody by themselves: the speaker of the quote holds such a pledge.
_NOBODY = frozenset({"", "(unspecified)", "i", "we", "you", "he", "she", "it", "they", "me", "us", "him", "her", "them"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Side(_Frozen):
    """One side of a finding (the statement or the report): its document and its span."""

    statement: str
    doc_id: str
    source: str | None = None
    date: str | None = None
    span: Span | None = None


def _speaker(statement: Statement, analysis: Analysis | None) -> tuple[str | None, bool]:
    """The speaker of the quote ``statement`` sits in, and whether that speaker only relays
    (anonymous or unknown: "people familiar with the plans")."""
    if analysis is None or statement.quote is None:
        return None, False
    quote = next((q for q in analysis.quotes if q.id == statement.quote), None)
    if quote is None or not quote.speaker_name:
        return None, False
    entity = next((e for e in analysis.entities if e.id == quote.speaker), None)
    return quote.speaker_name, entity is not None and entity.type in _RELAYING


def holder(statement: Statement, analysis: Analysis | None) -> str:
    """Who holds the commitment ``statement`` states.

    The statement's actor group, else its actor: the event stage groups a thing's plan under the
    speaker who announced it ("the library would reopen, the council said" → the council) and
    keeps an agent's own plan under the agent ("Mr. Trump intends to …, Manafort said" → Trump).
    A name that names nobody ("we", "(unspecified)") gives way to the quote's speaker, and a
    speaker who only relays (anonymous) gives way to the subject.
    """
    speaker, relaying = _speaker(statement, analysis)
    for name in (statement.actor_group, statement.actor_name):
        if name and name.strip().lower() not in _NOBODY and not (relaying and name == speaker):
            return name
    if speaker and not relaying:
        return speaker
    return statement.actor_group or statement.actor_name


class FindingRecord(_Frozen):
    """One finding with everything needed to trace it, as flat fields (JSON Lines and CSV)."""

    finding: str = Field(description="The finding's id (unique within its run).")
    source: str | None = Field(description="File the finding was reported in (the report's document): the path as given, '<stdin>' for '-'.")
    doc_id: str = Field(description="Id of the report's document.")
    date: str | None = Field(description="ISO date of the report's document, when known.")
    actor: str = Field(description="Who holds the commitment: the speaker of a quoted pledge, else the statement's actor.")
    subject: str | None = Field(description="The statement's grammatical subject, where it differs from actor.")
    verdict: Verdict
    type: MismatchType | None
    score: float = Field(ge=0, le=1)
    link: Link | None
    explanation: str = Field(description="Why; spans quoted in it are cut after a whole word ('…'), the whole spans are in the *_text fields.")
    stated_statement: str
    stated_doc_id: str
    stated_source: str | None
    stated_date: str | None
    stated_start: int | None = Field(description="Offset of the stated span in its document's text (code points, half-open).")
    stated_end: int | None
    stated_text: str | None = Field(description="The stated span, whole.")
    reported_statement: str
    reported_doc_id: str
    reported_source: str | None
    reported_date: str | None
    reported_start: int | None
    reported_end: int | None
    reported_text: str | None = Field(description="The reported span, whole.")

    @model_validator(mode="after")
    def _offsets_match_texts(self) -> FindingRecord:
        for side in ("stated", "reported"):
            start, end, text = getattr(self, f"{side}_start"), getattr(self, f"{side}_end"), getattr(self, f"{side}_text")
            if text is not None and (start is None or end is None or end - start != len(text)):
                raise ValueError(Errors.E001.format(start=start, end=end, text=text[:40]))
        return self

    def side(self, which: str) -> Side:
        """The stated or the reported side as a :class:`Side`."""
        start, end, text = (getattr(self, f"{which}_{k}") for k in ("start", "end", "text"))
        span = Span(start=start, end=end, text=text) if text is not None else None
        return Side(
            statement=getattr(self, f"{which}_statement"), doc_id=getattr(self, f"{which}_doc_id"),
            source=getattr(self, f"{which}_source"), date=getattr(self, f"{which}_date"), span=span,
        )


#: Column order of the CSV: the record's fields in declaration order.
CSV_COLUMNS: tuple[str, ...] = tuple(FindingRecord.model_fields)


def side_of(finding: Finding, role: str, sid: str, statements: Mapping[str, Statement], documents: Mapping[str, Analysis]) -> tuple[Side, Statement | None]:
    """The ``role`` side of ``finding``: the span from its own evidence (what the judge saw), else the statement's."""
    ev = next((e for e in finding.evidence if e.role == role), None)
    statement = statements.get(sid)
    doc_id = ev.doc_id if ev is not None else (statement.doc_id if statement is not None else sid.split(":")[0])
    span = ev.span if ev is not None else (statement.span if statement is not None else None)
    doc = documents.get(doc_id)
    date = (doc.date if doc is not None else None) or (statement.date if statement is not None else None)
    return Side(statement=sid, doc_id=doc_id, source=doc.source if doc is not None else None, date=date, span=span), statement


def finding_records(
    findings: Iterable[Finding], documents: Mapping[str, Analysis], statements: Mapping[str, Statement] | None = None
) -> list[FindingRecord]:
    """A record per finding, in the order given; ``documents`` by id (statements are looked up in
    them unless ``statements`` is given, e.g. a corpus index's statement list)."""
    if statements is None:
        statements = {s.id: s for doc in documents.values() for s in doc.statements}
    out = []
    for f in findings:
        stated, plan = side_of(f, "intention", f.intention, statements, documents)
        reported, _ = side_of(f, "action", f.action, statements, documents)
        actor = holder(plan, documents.get(stated.doc_id)) if plan is not None else f.actor_name
        subject = plan.actor_name if plan is not None else f.actor_name
        whole = [s.span.text for s in (stated, reported) if s.span is not None]
        fields: dict[str, object] = {
            "finding": f.id, "source": reported.source, "doc_id": reported.doc_id, "date": reported.date,
            "actor": actor, "subject": subject if subject != actor else None,
            "verdict": f.verdict, "type": f.type, "score": f.score, "link": f.link,
            "explanation": recut_quotes(f.explanation, whole),
        }
        for name, side in (("stated", stated), ("reported", reported)):
            fields |= {
                f"{name}_statement": side.statement, f"{name}_doc_id": side.doc_id, f"{name}_source": side.source,
                f"{name}_date": side.date, f"{name}_start": side.span.start if side.span else None,
                f"{name}_end": side.span.end if side.span else None, f"{name}_text": side.span.text if side.span else None,
            }
        out.append(FindingRecord(**fields))
    return out


def analysis_records(analysis: Analysis) -> list[FindingRecord]:
    """The records of the findings within one analysed text."""
    return finding_records(analysis.findings, {analysis.doc_id: analysis})


def comparison_records(comparison: Comparison) -> list[FindingRecord]:
    """The records of a comparison: stated in ``a``, reported in ``b``."""
    return finding_records(comparison.findings, {comparison.a.doc_id: comparison.a, comparison.b.doc_id: comparison.b})


def records_jsonl(records: Sequence[FindingRecord]) -> str:
    """One JSON object per line (the text kept as is, not escaped to ASCII)."""
    return "".join(r.model_dump_json() + "\n" for r in records)


def records_csv(records: Sequence[FindingRecord], *, header: bool = True) -> str:
    """The records as CSV (RFC 4180 quoting, ``\\r\\n`` line ends as the csv module writes them),
    columns :data:`CSV_COLUMNS`; a missing value is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(CSV_COLUMNS)
    for r in records:
        data = r.model_dump(mode="json")
        writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
    return buffer.getvalue()


# -- the promise tracker as CSV: one row per promise ------------------------------------------------

#: Columns of ``quotecheck promises --format csv``: the promise, where it was stated, and the
#: report that decides its status (empty when none does).
PROMISE_COLUMNS = (
    "actor", "subject", "promise", "status", "type", "due", "due_text", "promised", "conditional",
    "stated_date", "stated_source", "stated_doc_id", "stated_start", "stated_end", "stated_text", "stated_at",
    "reports", "decided_by", "verdict", "score", "report_date", "report_source", "report_doc_id",
    "report_start", "report_end", "report_text", "explanation",
)


def promises_csv(report) -> str:
    """``report`` (a :class:`quotecheck.tracker.PromiseReport`) as CSV, one row per promise."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PROMISE_COLUMNS)
    for p in report.all():
        decided = next((r for r in p.reports if r.finding == p.decided_by), None)
        row: dict[str, object] = {
            "actor": p.actor, "subject": p.subject, "promise": p.id, "status": p.status, "type": p.type, "due": p.due,
            "due_text": p.due_text, "promised": p.promised, "conditional": p.conditional,
            "stated_date": p.stated.date, "stated_source": p.stated.source, "stated_doc_id": p.stated.doc_id,
            "stated_start": p.stated.span.start, "stated_end": p.stated.span.end, "stated_text": p.stated.span.text,
            "stated_at": p.stated_at, "reports": len(p.reports), "decided_by": p.decided_by,
        }
        if decided is not None:
            row |= {
                "verdict": decided.verdict, "score": decided.score, "report_date": decided.where.date,
                "report_source": decided.where.source, "report_doc_id": decided.where.doc_id,
                "report_start": decided.where.span.start, "report_end": decided.where.span.end,
                "report_text": decided.where.span.text, "explanation": decided.explanation,
            }
        writer.writerow(["" if row.get(c) is None else row[c] for c in PROMISE_COLUMNS])
    return buffer.getvalue()
