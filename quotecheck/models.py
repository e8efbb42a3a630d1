"""The data model: frozen pydantic models that are the one contract between pipeline stages.

Every span is a half-open ``[start, end)`` view into one text, counted in code points, and
carries its own ``text`` for readability; ``Analysis`` and ``Comparison`` check that
``doc.text[start:end] == span.text`` for every span they hold, so a bad offset cannot escape.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quotecheck.errors import Errors

__all__ = [
    "Span",
    "Evidence",
    "Entity",
    "Quote",
    "Statement",
    "ClauseView",
    "Finding",
    "Analysis",
    "Comparison",
    "EntityType",
    "QuoteKind",
    "StatementKind",
    "Verdict",
    "MismatchType",
    "Factuality",
    "Link",
]

EntityType = Literal["person", "organisation", "country", "group", "anonymous", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
StatementKind = Literal["intention", "action"]
#: What the text says became of an event: planned, done, or what went otherwise.
Factuality = Literal["intended", "realised", "negated", "failed", "cancelled", "postponed", "reversed", "fulfilled", "departed"]
Verdict = Literal["mismatch", "consistent", "unverified"]
#: How an outcome was tied to the plan it reports on: the learned linker within one text
#: ("text") or across two texts ("corpus"); the older rule names are kept for stored findings.
Link = Literal["text", "corpus", "reference", "clause", "anaphor", "actor"]
MismatchType = Literal["target", "negation", "quantity", "timing", "reversal", "unfulfilled", "other"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Frozen):
    """A half-open character range ``[start, end)`` into one document's text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start or len(self.text) != self.end - self.start:
            raise ValueError(Errors.E001.format(start=self.start, end=self.end, text=self.text[:40]))
        return self

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Cut ``text[start:end]`` as a span: the only way pipeline code builds spans."""
        return cls(start=start, end=end, text=text[start:end])


class Evidence(_Frozen):
    """A span that backs a finding, tagged with the document it points into and its role."""

    doc_id: str
    role: Literal["intention", "action", "target", "quantity", "time", "negation", "cue"]
    span: Span


class Entity(_Frozen):
    """One real-world speaker or actor, with every mention of it in the document."""

    id: str
    name: str
    type: EntityType
    mentions: tuple[Span, ...] = ()
    group: str | None = Field(
        default=None, description="Coarser actor it belongs to, e.g. 'Russia' for 'Russian officials'."
    )


class Quote(_Frozen):
    """An attribution: who (source → speaker entity) said what (content) with which cue."""

    id: str
    kind: QuoteKind
    content: tuple[Span, ...]
    cue: Span | None = None
    source: Span | None = None
    speaker: str | None = Field(default=None, description="Id of the canonical speaker entity.")
    speaker_name: str | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)


class ClauseView(_Frozen):
    """What the said/did models read of a statement's clause, kept so that pairing it with a
    clause of another text (``compare``, a corpus index) needs no second parse."""

    sentence: int = 0
    paragraph: int = 0
    piece: int = 0
    head: int = 0
    ancestors: tuple[int, ...] = ()
    conj_of: int | None = None
    lemma: str = ""
    nominal: bool = False
    features: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    cls: tuple[str, ...] = ()
    neg: bool = False
    past: bool = False
    future: bool = False
    inquote: bool = False
    theme_plan: bool = False
    passive: bool = False
    det_the: bool = False
    amount: tuple[float, str] | None = None
    when: tuple[int | None, int | None] | None = None
    theme: str | None = None
    theme_generic: bool = False
    detector: tuple[float, ...] = Field(default=(), description="Detector probabilities: none, commitment, outcome.")


class Statement(_Frozen):
    """An event mention: an intention (a plan, pledge or schedule) or an action (what became of one).

    ``factuality`` is the key field: a pledge and its cancellation are two mentions of one event
    with different factuality ("intended", then "cancelled"), not two statements that resemble
    each other. ``kind`` is "intention" exactly when the factuality is "intended".
    """

    id: str
    doc_id: str
    kind: StatementKind
    factuality: Factuality | None = Field(
        default=None, description="intended, realised, negated, failed, cancelled, postponed, reversed, fulfilled or departed."
    )
    actor: str | None = Field(default=None, description="Id of the actor entity in the same document.")
    actor_name: str
    actor_group: str | None = None
    predicate: str = Field(description="Lemma of the event's verb or noun, e.g. 'strike', 'trip', 'call off'.")
    span: Span
    phrase: Span | None = Field(default=None, description="The event's own words, without actor and modality: what is embedded.")
    cue: Span | None = Field(default=None, description="The word that carries the factuality ('planned', 'would', 'canceled').")
    theme: Span | None = Field(
        default=None, description="For an outcome: the noun phrase naming what was called off, moved or done ('the trip')."
    )
    presupposed: bool = Field(default=False, description="A plan known only as what an outcome acted on ('called off a deal').")
    conditional: bool = Field(
        default=False, description="A plan made on a condition ('threatened to make him testify, should he fail to …')."
    )
    sentence: int | None = Field(default=None, ge=0, description="Index of the sentence (in Analysis.sentences) holding the mention.")
    keys: tuple[str, ...] = Field(
        default=(), description="Lemmas that name the event: a plan's verb and nouns; an outcome's theme head ('trip')."
    )
    target: Span | None = None
    quote: str | None = None
    negated: bool = False
    quantities: tuple[Span, ...] = ()
    times: tuple[Span, ...] = ()
    stated_at: Span | None = Field(
        default=None, description="For an intention: the time expression of when it was said ('on March 14, 2024')."
    )
    date: str | None = Field(default=None, description="ISO date of the document, when known.")
    confidence: float = Field(default=1.0, ge=0, le=1, description="The detector's probability that the clause states this kind.")
    view: ClauseView | None = Field(default=None, description="The clause as the said/did models read it (for pairing across texts).")


class Finding(_Frozen):
    """A judged intention/action pair of the same actor."""

    id: str
    actor_name: str
    intention: str
    action: str
    verdict: Verdict
    type: MismatchType | None = None
    link: Link | None = Field(default=None, description="How the outcome was tied to the plan: its own words, one clause, an anaphor or the actor.")
    score: float = Field(ge=0, le=1)
    similarity: float = Field(ge=-1, le=1)
    explanation: str
    evidence: tuple[Evidence, ...] = ()


def _spans_of(model: BaseModel):
    """Yield every Span nested anywhere in ``model`` (fields, tuples, sub-models)."""
    stack: list[object] = [model]
    while stack:
        item = stack.pop()
        if isinstance(item, Span):
            yield item
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, tuple):
            stack.extend(item)


def _check_span(span: Span, text: str, doc_id: str) -> None:
    if span.end > len(text) or text[span.start : span.end] != span.text:
        raise ValueError(Errors.E002.format(doc_id=doc_id, start=span.start, end=span.end))


class Analysis(_Frozen):
    """Everything quotecheck found in one text; all spans point into ``text``."""

    doc_id: str
    text: str
    date: str | None = None
    source: str | None = Field(
        default=None, description="Where the text came from: a file path, '<stdin>', or a JSON Lines file and line."
    )
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    statements: tuple[Statement, ...] = ()
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="after")
    def _spans_point_into_text(self) -> Analysis:
        for field in ("sentences", "entities", "quotes", "statements"):
            for span in _spans_of_seq(getattr(self, field)):
                _check_span(span, self.text, self.doc_id)
        for finding in self.findings:
            for ev in finding.evidence:
                _check_span(ev.span, self.text, self.doc_id)
        ids = [x.id for x in (*self.entities, *self.quotes, *self.statements, *self.findings)]
        if len(ids) != len(set(ids)):
            raise ValueError(Errors.E003.format(doc_id=self.doc_id))
        return self

    def statement(self, statement_id: str) -> Statement:
        """Look a statement up by id."""
        for s in self.statements:
            if s.id == statement_id:
                return s
        raise KeyError(statement_id)

    def entity(self, entity_id: str) -> Entity:
        """Look an entity up by id."""
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)


def _spans_of_seq(items: tuple) -> list[Span]:
    out: list[Span] = []
    for item in items:
        out.extend(_spans_of(item))
    return out


class Comparison(_Frozen):
    """Findings across two analysed texts: intentions in ``a`` judged against actions in ``b``."""

    a: Analysis
    b: Analysis
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="after")
    def _evidence_points_into_its_text(self) -> Comparison:
        texts = {self.a.doc_id: self.a.text, self.b.doc_id: self.b.text}
        for finding in self.findings:
            for ev in finding.evidence:
                if ev.doc_id not in texts:
                    raise ValueError(Errors.E004.format(doc_id=ev.doc_id))
                _check_span(ev.span, texts[ev.doc_id], ev.doc_id)
        return self
