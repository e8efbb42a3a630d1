"""The promise tracker: every commitment in a dated corpus, per actor, followed to its outcome.

``quotecheck.promises(analyses, findings=…)`` (this module's :func:`promises`) reads only the public models: each ``Statement`` of
kind "intention" is a commitment (a plan known only as what an outcome acted on — ``presupposed``
— was never stated, and is left out); every finding whose ``intention`` is that statement is a
report that answers it. Nothing here loads a model: the findings come from ``Checker.pipe``
(within a text) and ``Checker.check_index`` (across texts), or from a stored run; of the said/did
model it reads one threshold (:func:`sure_threshold`).

A commitment's status, from its reports (the latest report that decides; unverified ones never do):

==========  ===================================================================================
kept        a report says it was done as stated (verdict ``consistent``)
broken      a report says it was not done, undone or done otherwise (a mismatch of type
            negation, reversal, unfulfilled or other)
changed     a report says it was done, but later, aimed elsewhere or in another amount (a
            mismatch of type timing, target or quantity: a promise kept in part)
overdue     no report at all, its due date has passed by ``as_of`` (the corpus' latest date), and
            the detector is sure it is a commitment (``overdue_confidence``)
pending     none of these: not due yet, no due date, or only unverified reports
==========  ===================================================================================

Dates: each document's ``date`` (``index add --date``, the JSON Lines ``date`` field), else with
``date_from_name`` the date in its file name (``nyt_2016-10-23_….txt``). The due date comes from
the statement's ``times`` (:mod:`quotecheck.duedates`), counted from the day it was stated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from quotecheck.duedates import date_in_name, due_date, parse_iso
from quotecheck.io.cut import recut_quotes
from quotecheck.io.records import holder
from quotecheck.models import Analysis, Finding, MismatchType, Span, Statement, Verdict

if TYPE_CHECKING:
    from quotecheck.index import CorpusIndex

__all__ = [
    "promises",
    "PromiseStatus",
    "STATUS_ORDER",
    "status_of",
    "Where",
    "Report",
    "Promise",
    "ActorPromises",
    "StatusCounts",
    "PromiseReport",
]

PromiseStatus = Literal["kept", "broken", "changed", "pending", "overdue"]
#: The order statuses are listed in: what needs a fact-checker first.
STATUS_ORDER: tuple[PromiseStatus, ...] = ("broken", "overdue", "changed", "kept", "pending")
#: Mismatch types that say the promise was carried out, but not as stated.
CHANGED_TYPES = frozenset({"timing", "target", "quantity"})


def status_of(verdict: str, type_: str | None) -> PromiseStatus | None:
    """What one report makes of a promise; None for a report that does not decide (unverified)."""
    if verdict == "consistent":
        return "kept"
    if verdict == "mismatch":
        return "changed" if type_ in CHANGED_TYPES else "broken"
    return None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Where(_Frozen):
    """A span of one document, with what names the document: its file and its date."""

    doc_id: str
    source: str | None = None
    date: str | None = None
    span: Span


class Report(_Frozen):
    """A later report that answers a promise: one finding, with where the outcome is reported."""

    finding: str
    statement: str = Field(description="Id of the outcome statement.")
    verdict: Verdict
    type: MismatchType | None = None
    score: float = Field(ge=0, le=1)
    explanation: str
    status: PromiseStatus | None = Field(description="What this report makes of the promise; null when it does not decide (unverified).")
    where: Where


class Promise(_Frozen):
    """One commitment: who, where and when it was stated, what was promised, by when, and what became of it."""

    id: str = Field(description="Id of the intention statement.")
    actor: str = Field(description="Who holds it: the speaker of a quoted pledge, else the statement's actor.")
    subject: str | None = Field(default=None, description="The statement's grammatical subject, where it differs from actor.")
    stated: Where
    stated_at: str | None = Field(default=None, description="When the text says it was stated ('on March 14'), when it says so.")
    promised: str = Field(description="The commitment's own words (the event without its actor and modality, else the whole span).")
    conditional: bool = False
    due: str | None = Field(default=None, description="ISO due date, when the text gives one.")
    due_text: str | None = Field(default=None, description="The time expression the due date comes from.")
    status: PromiseStatus
    type: MismatchType | None = Field(default=None, description="For broken and changed: the type of the deciding report.")
    decided_by: str | None = Field(default=None, description="The finding that decides the status.")
    reports: tuple[Report, ...] = ()


class StatusCounts(_Frozen):
    """How many promises have each status."""

    kept: int = 0
    broken: int = 0
    changed: int = 0
    pending: int = 0
    overdue: int = 0

    @classmethod
    def of(cls, items: Iterable[Promise]) -> StatusCounts:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for p in items:
            counts[p.status] += 1
        return cls(**counts)

    def total(self) -> int:
        return self.kept + self.broken + self.changed + self.pending + self.overdue


class ActorPromises(_Frozen):
    """One actor's promises, in the order they were stated."""

    actor: str
    counts: StatusCounts
    promises: tuple[Promise, ...]


class PromiseReport(_Frozen):
    """The promise tracker over a corpus: ``quotecheck promises --format json``."""

    as_of: str | None = Field(default=None, description="Overdue means: due before this date with no report (default: the corpus' latest date).")
    documents: int
    first_date: str | None = None
    last_date: str | None = None
    undated: int = Field(default=0, description="Documents without a date (their promises are never overdue, their reports never ordered).")
    counts: StatusCounts
    actors: tuple[ActorPromises, ...]

    def all(self) -> list[Promise]:
        """Every promise, actor by actor."""
        return [p for a in self.actors for p in a.promises]


def _documents(source: Iterable[Analysis] | CorpusIndex, date_from_name: bool) -> list[Analysis]:
    docs = list(source.documents.values()) if hasattr(source, "documents") else list(source)  # type: ignore[union-attr]
    if not date_from_name:
        return docs
    return [d if d.date else d.model_copy(update={"date": date_in_name(d.source)}) for d in docs]


def _where(statement: Statement, doc: Analysis | None, span: Span | None = None) -> Where:
    return Where(
        doc_id=statement.doc_id, source=doc.source if doc else None, date=(doc.date if doc else None) or statement.date,
        span=span or statement.span,
    )


def _report(f: Finding, statements: Mapping[str, tuple[Statement, Analysis]]) -> Report | None:
    found = statements.get(f.action)
    if found is None:
        return None
    outcome, doc = found
    ev = next((e for e in f.evidence if e.role == "action" and e.doc_id == outcome.doc_id), None)
    plan = statements.get(f.intention)
    spans = [s.span.text for s in (plan[0] if plan else None, outcome) if s is not None]
    return Report(
        finding=f.id, statement=outcome.id, verdict=f.verdict, type=f.type, score=f.score,
        explanation=recut_quotes(f.explanation, spans), status=status_of(f.verdict, f.type),
        where=_where(outcome, doc, ev.span if ev else None),
    )


def _order(where: Where, position: Mapping[str, int]) -> tuple[str, int, int]:
    return (where.date or "9999", position.get(where.doc_id, 0), where.span.start)


def promises(
    source: Iterable[Analysis] | CorpusIndex,
    *,
    findings: Iterable[Finding] = (),
    as_of: str | None = None,
    date_from_name: bool = False,
    overdue_confidence: float | None = None,
) -> PromiseReport:
    """Every commitment stated in ``source`` (analyses, or a corpus index's documents), per actor,
    with the reports that answer it and its status (see the module docstring).

    ``findings`` are added to the analyses' own (within-text) findings: the cross-text findings
    of ``Checker.check_index``. ``as_of`` (ISO date) decides what is overdue; by default the
    latest date in the corpus. Reads only ``Analysis``, ``Statement`` and ``Finding``.

    ``overdue`` says a commitment was not delivered, so it is said only of a commitment the
    detector is sure of: ``confidence`` at least ``overdue_confidence`` (default: the said/did
    model's ``commitment_sure`` threshold, where its cross-validated commitment precision reaches
    the training target); a less sure one with nothing reported stays ``pending``.
    """
    if overdue_confidence is None:
        overdue_confidence = sure_threshold()
    docs = _documents(source, date_from_name)
    position = {d.doc_id: n for n, d in enumerate(docs)}
    statements = {s.id: (s, d) for d in docs for s in d.statements}
    seen: set[tuple[str, str]] = set()
    answers: dict[str, list[Report]] = {}
    for f in [*(f for d in docs for f in d.findings), *findings]:
        if (f.intention, f.action) in seen or f.intention not in statements:
            continue
        seen.add((f.intention, f.action))
        report = _report(f, statements)
        if report is not None:
            answers.setdefault(f.intention, []).append(report)
    dates = sorted(d.date for d in docs if parse_iso(d.date))
    as_of = as_of or (dates[-1] if dates else None)
    cutoff = parse_iso(as_of)
    by_actor: dict[str, list[Promise]] = {}
    for doc in docs:
        for s in doc.statements:
            if s.kind != "intention" or s.presupposed:
                continue
            sure = s.confidence is None or s.confidence >= overdue_confidence
            p = _promise(s, doc, answers.get(s.id, []), cutoff if sure else None, position)
            by_actor.setdefault(p.actor, []).append(p)
    actors = []
    for actor, items in by_actor.items():
        items.sort(key=lambda p: _order(p.stated, position))
        actors.append(ActorPromises(actor=actor, counts=StatusCounts.of(items), promises=tuple(items)))
    actors.sort(key=lambda a: (a.actor.strip("()").lower() == "unspecified", -len(a.promises), a.actor.lower()))  # nobody's last
    every = [p for a in actors for p in a.promises]
    return PromiseReport(
        as_of=as_of, documents=len(docs), first_date=dates[0] if dates else None, last_date=dates[-1] if dates else None,
        undated=len(docs) - len(dates), counts=StatusCounts.of(every), actors=tuple(actors),
    )


def sure_threshold() -> float:
    """The said/did model's ``commitment_sure`` threshold (0 for a model trained before it existed).

    The one thing the tracker reads of a model: a number in its meta.json, no weights run."""
    from quotecheck.pipeline.saydo.model import load_saydo_model

    return float(load_saydo_model().thresholds.get("commitment_sure", 0.0))


def _promise(s: Statement, doc: Analysis, reports: list[Report], cutoff, position: Mapping[str, int]) -> Promise:
    stated = _where(s, doc)
    stated_on = parse_iso(stated.date)
    at = s.stated_at
    times = [t.text for t in s.times if at is None or t.end <= at.start or t.start >= at.end]
    due = due_date(times, stated_on)
    reports = sorted(reports, key=lambda r: _order(r.where, position))
    deciding = [r for r in reports if r.status is not None]
    decided = max(deciding, key=lambda r: (_order(r.where, position)[:2], r.score)) if deciding else None
    if decided is not None:
        status: PromiseStatus = decided.status  # type: ignore[assignment]
    elif not reports and due is not None and cutoff is not None and due[0] < cutoff:
        status = "overdue"
    else:
        status = "pending"
    actor = holder(s, doc)
    return Promise(
        id=s.id, actor=actor, subject=s.actor_name if s.actor_name != actor else None, stated=stated,
        stated_at=at.text if at is not None else None, promised=(s.phrase or s.span).text, conditional=s.conditional,
        due=due[0].isoformat() if due else None, due_text=due[1] if due else None, status=status,
        type=decided.type if decided is not None and status in ("broken", "changed") else None,
        decided_by=decided.finding if decided is not None else None, reports=tuple(reports),
    )
