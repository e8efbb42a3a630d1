"""The said/did stage: a parsed document → clauses → decisions → Statements and Findings.

:func:`clause_infos` proposes and describes the clauses (the event layer's rules run first and
become features). :func:`run` decides one text (:func:`~quotecheck.pipeline.saydo.decide.decide`)
and turns the decision into the contract's models: each commitment an ``intention`` Statement,
each outcome an ``action`` (both carry their :class:`~quotecheck.models.ClauseView`, so another
text or a corpus can be paired with them later), each judged pair a Finding whose evidence
points into the text. :func:`findings_across` does the same for plans of one text and clauses
of another.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from quotecheck.models import ClauseView, Entity, Evidence, Finding, Quote, Span, Statement
from quotecheck.pipeline.document import Document
from quotecheck.pipeline.factuality import intention_trigger, modal_trigger
from quotecheck.pipeline.measures import TIME, amount_tokens
from quotecheck.pipeline.saydo.clauses import Clause, candidate_clauses
from quotecheck.pipeline.saydo.decide import Decision, PairDecision, decide
from quotecheck.pipeline.saydo.features import ClauseInfo, PieceWords, describe
from quotecheck.pipeline.saydo.model import SaydoModel

__all__ = ["statement_text", "prepare", "clause_infos", "run", "statement_from_info", "SaydoResult", "findings_of", "info_of_view", "view_of", "STATUS_FACTUALITY", "explain"]

#: What an outcome's status says became of the plan, as a Statement factuality.
STATUS_FACTUALITY = {
    "done": "fulfilled", "not_done": "failed", "cancelled": "cancelled", "postponed": "postponed",
    "changed": "departed", "partial": "realised",
}
_TYPE_WORDS = {
    "target": "done to another target or for another purpose", "negation": "not done",
    "quantity": "done in another amount", "timing": "done or moved later", "reversal": "called off or gone back on",
    "other": "done otherwise",
}


def statement_text(statement: Statement) -> str:
    """The words the encoder compares for a statement: its clause (the one text per statement
    that compare, an index and a batch run all embed)."""
    return (statement.phrase or statement.span).text


def prepare(texts: Sequence[str], nlp, config) -> list[tuple[Document, tuple[Quote, ...], tuple[Entity, ...]]]:
    """Segment, attribute quotes, resolve speakers and parse ``texts`` (one batched parse): what
    :func:`run` reads. The one preparation used by analysis and by training."""
    from quotecheck.pipeline import attribution as quotes_stage
    from quotecheck.pipeline import speakers as speakers_stage
    from quotecheck.pipeline.document import parse_documents
    from quotecheck.pipeline.events import needs_parse
    from quotecheck.pipeline.segment import segment

    segs = [segment(t) for t in texts]
    found = []
    for text, seg in zip(texts, segs):
        quotes = quotes_stage.extract_quotes(text, seg, config)
        found.append(speakers_stage.resolve(text, seg, quotes))
    docs = parse_documents(list(texts), nlp, segmentations=segs, select=needs_parse)
    return [(doc, quotes, entities) for doc, (entities, quotes) in zip(docs, found)]


def clause_infos(doc: Document, quotes: tuple[Quote, ...], entities: tuple[Entity, ...]) -> tuple[list[Clause], list[ClauseInfo]]:
    """Every candidate clause of ``doc`` and its description, in text order.

    The event layer's rules (``events.extract``) run first; what they call each clause is one
    more feature ("rule=intention", "rule_fact=cancelled"), weighed by the models like any other.
    """
    number = {id(p): n for n, p in enumerate(doc.pieces)}
    clauses = candidate_clauses(doc, quotes, entities)
    rule = _rule_features(doc, quotes, entities, clauses)
    words = {id(p): PieceWords.of(p.doc) for p in doc.pieces}  # once per piece, not per clause
    return clauses, [describe(c, doc.text, number[id(c.piece)], extra=rule.get(c.index, ()), words=words[id(c.piece)]) for c in clauses]


def _rule_features(doc: Document, quotes, entities, clauses: Sequence[Clause]) -> dict[int, tuple[str, ...]]:
    """The event layer's statements as features of the clause each covers best."""
    from quotecheck.pipeline import events as events_stage

    out: dict[int, list[str]] = {}
    starts = [c.start for c in clauses]
    for st in events_stage.extract(doc, quotes, entities, doc_id="d"):
        best, best_iou = None, 0.0
        for c in clauses[bisect_left(starts, st.span.start - 400) :]:
            if c.start >= st.span.end:
                break
            inter = min(c.end, st.span.end) - max(c.start, st.span.start)
            if inter > 0:
                iou = inter / (max(c.end, st.span.end) - min(c.start, st.span.start))
                if iou > best_iou:
                    best, best_iou = c.index, iou
        if best is not None:
            feats = out.setdefault(best, [])
            feats += [f"rule={st.kind}", f"rule_fact={st.factuality}"]
            if st.presupposed:
                feats.append("rule_presupposed")
            if st.conditional:
                feats.append("rule_conditional")
    return {k: tuple(v) for k, v in out.items()}


def view_of(info: ClauseInfo, detector: np.ndarray) -> ClauseView:
    """The serialisable part of a clause description."""
    return ClauseView(
        sentence=info.sentence, paragraph=info.paragraph, piece=info.piece, head=info.head, ancestors=info.ancestors,
        conj_of=info.conj_of, lemma=info.lemma, nominal=info.nominal, features=info.features,
        lemmas=tuple(sorted(info.lemmas)), nouns=tuple(sorted(info.nouns)), numbers=tuple(sorted(info.numbers)),
        times=tuple(sorted(info.times)), cls=tuple(sorted(info.cls)), neg=info.neg, past=info.past, future=info.future,
        inquote=info.inquote, theme_plan=info.theme_plan, passive=info.passive, det_the=info.det_the,
        amount=info.amount, when=info.when, theme=info.theme, theme_generic=info.theme_generic, detector=tuple(round(float(x), 5) for x in detector),
    )


def info_of_view(s: Statement) -> ClauseInfo:
    """A statement's clause description back from its view (for pairing across texts)."""
    v = s.view or ClauseView()
    return ClauseInfo(
        start=s.span.start, end=s.span.end, sentence=v.sentence, paragraph=v.paragraph, piece=v.piece, head=v.head,
        ancestors=v.ancestors, conj_of=v.conj_of, lemma=v.lemma, nominal=v.nominal, features=v.features,
        lemmas=frozenset(v.lemmas), nouns=frozenset(v.nouns), numbers=frozenset(v.numbers), times=frozenset(v.times),
        cls=frozenset(v.cls), neg=v.neg, past=v.past, future=v.future, inquote=v.inquote, theme_plan=v.theme_plan,
        passive=v.passive, det_the=v.det_the, actor_id=s.actor, actor_name=s.actor_name, actor_group=s.actor_group,
        text=s.span.text, amount=v.amount, when=v.when, theme=v.theme, theme_generic=v.theme_generic,
    )


@dataclass(frozen=True)
class SaydoResult:
    """One text's said/did layer: its statements and findings, and the clauses they came from."""

    statements: tuple[Statement, ...]
    findings: tuple[Finding, ...]
    infos: list[ClauseInfo]
    decision: Decision
    statement_of: dict[int, str]  # clause index → statement id


def run(doc: Document, quotes: tuple[Quote, ...], entities: tuple[Entity, ...], model: SaydoModel, *, doc_id: str,
        date: str | None = None) -> SaydoResult:
    """Decide one parsed text and build its Statements and within-text Findings."""
    clauses, infos = clause_infos(doc, quotes, entities)
    decision = decide(model, infos)
    col = {c: i for i, c in enumerate(model.detector.classes)}
    kinds = {i: "intention" for i in decision.commitments} | {i: "action" for i in decision.outcomes if i not in decision.commitments}
    statements: list[Statement] = []
    statement_of: dict[int, str] = {}
    for i in sorted(kinds, key=lambda i: (infos[i].start, infos[i].end)):
        sid = f"{doc_id}:s{len(statements) + 1}"
        statement_of[i] = sid
        kind = kinds[i]
        confidence = float(decision.detector[i, col["commitment" if kind == "intention" else "outcome"]])
        statements.append(_statement(doc, clauses[i], infos[i], kind, decision, sid, doc_id, date, confidence))
    by_id = {s.id: s for s in statements}
    findings = findings_of(decision.pairs, [by_id[statement_of[p.commitment]] for p in decision.pairs],
                           [by_id[statement_of[p.outcome]] for p in decision.pairs], link="text", prefix=f"{doc_id}:f")
    return SaydoResult(tuple(statements), tuple(findings), infos, decision, statement_of)


def _statement(doc: Document, c: Clause, info: ClauseInfo, kind: str, decision: Decision, sid: str, doc_id: str,
               date: str | None, confidence: float) -> Statement:
    token = c.token
    sdoc = c.piece.doc
    span = Span.of(doc.text, info.start, info.end)
    trigger = modal_trigger(token) if not c.nominal else None
    if trigger is None:
        found = intention_trigger(token)
        trigger = found[0] if found else None
    obj = next((ch for ch in token.children if ch.dep_ in ("dobj", "nsubjpass")), None)
    own = [t for t in sdoc if info.start <= c.piece.start + t.idx < info.end]
    factuality = "intended" if kind == "intention" else STATUS_FACTUALITY.get(decision.status.get(c.index, ""), "realised")
    target = doc.span(c.piece, obj.left_edge.i, obj.right_edge.i) if obj is not None else None
    return Statement(
        id=sid, doc_id=doc_id, kind=kind, factuality=factuality,  # type: ignore[arg-type]
        actor=c.actor_id, actor_name=c.actor_name, actor_group=c.actor_group, predicate=info.lemma, span=span, phrase=span,
        cue=doc.token_span(c.piece, trigger) if trigger is not None and c.piece.start + trigger.idx < len(doc.text) else None,
        theme=target if kind == "action" else None, sentence=c.sentence,
        keys=tuple(sorted(info.nouns))[:6], target=target if target is not None and span.start <= target.start and target.end <= span.end else None,
        quote=c.quote.id if c.quote is not None else None, negated=info.neg,
        quantities=tuple(doc.span(c.piece, a, b) for a, b in amount_tokens(own)),
        times=_own_times(doc, c, span, own),
        date=date, confidence=round(min(1.0, max(0.0, confidence)), 4), view=view_of(info, decision.detector[c.index]),
    )


#: Clauses a time may sit in and still date the clause's own act: the act's complements ("plans to
#: visit Charlotte on Sunday") — not a relative or adnominal clause ("who declared victory Tuesday").
_OWN_PATH = frozenset({"xcomp", "ccomp", "conj", "advcl", "aux", "auxpass"})


def _own_times(doc: Document, c: Clause, span: Span, own: Sequence) -> tuple[Span, ...]:
    """The time expressions in ``span`` that date the clause's own act, read from the parse: the
    verb a time attaches to must be the clause's head or one of its complements. A time of a
    relative clause inside the span ("Clinton, who declared victory Tuesday night, will …") or of
    a verb above the head is another act's. A nominal clause keeps every time in its span."""
    found = [(m.start(), m.end()) for m in TIME.finditer(span.text)]
    if c.nominal or not found:
        return tuple(Span.of(doc.text, span.start + a, span.start + b) for a, b in found)
    head = c.token
    keep = []
    for a, b in found:
        words = [t for t in own if a <= c.piece.start + t.idx - span.start < b]
        root = next((t for t in words if not (a <= c.piece.start + t.head.idx - span.start < b) or t.head.i == t.i), None)
        if root is None or _dates_the_act(root, head):
            keep.append((a, b))
    return tuple(Span.of(doc.text, span.start + a, span.start + b) for a, b in keep)


def _dates_the_act(root, head) -> bool:
    """Whether the time phrase at ``root`` attaches (through its nearest verb) to ``head`` or to a
    complement of it, never through a relative or adnominal clause. (Tokens compare by index:
    spaCy makes a new Token object on every access.)"""
    node = root.head
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        if node.i == head.i:
            return True
        node = node.head
    while node.i != head.i:
        if node.dep_ not in _OWN_PATH or node.head.i == node.i:
            return False
        node = node.head
    return True


def statement_from_info(text: str, info: ClauseInfo, detector: np.ndarray, *, sid: str, doc_id: str, date: str | None) -> Statement:
    """An ``action`` statement for a clause that is an outcome only against another text's plan."""
    span = Span.of(text, info.start, info.end)
    return Statement(
        id=sid, doc_id=doc_id, kind="action", factuality="realised", actor=info.actor_id, actor_name=info.actor_name,
        actor_group=info.actor_group, predicate=info.lemma, span=span, phrase=span, sentence=info.sentence,
        keys=tuple(sorted(info.nouns))[:6], negated=info.neg,
        times=tuple(Span.of(text, span.start + m.start(), span.start + m.end()) for m in TIME.finditer(span.text)),
        date=date, confidence=round(float(detector[2]) if len(detector) > 2 else 0.0, 4), view=view_of(info, detector),
    )


def findings_of(pairs: Sequence[PairDecision], plans: Sequence[Statement], outcomes: Sequence[Statement], *, link: str,
                prefix: str, similarity: Sequence[float] | None = None) -> list[Finding]:
    """Findings of judged pairs, ordered by score (then position), ids ``prefix1``, ``prefix2`` …"""
    out = []
    for n, (p, i, a) in enumerate(zip(pairs, plans, outcomes)):
        evidence = [Evidence(doc_id=i.doc_id, role="intention", span=i.span), Evidence(doc_id=a.doc_id, role="action", span=a.span)]
        evidence += [Evidence(doc_id=s.doc_id, role="cue", span=s.cue) for s in (i, a) if s.cue is not None]
        if p.type == "quantity":
            evidence += [Evidence(doc_id=s.doc_id, role="quantity", span=q) for s in (i, a) for q in s.quantities]
        if p.type == "timing":
            evidence += [Evidence(doc_id=s.doc_id, role="time", span=t) for s in (i, a) for t in s.times]
        score = round(min(1.0, max(0.0, p.link_p * p.p_verdict)), 4)
        out.append(Finding(
            id="tmp", actor_name=i.actor_name, intention=i.id, action=a.id, verdict=p.verdict,  # type: ignore[arg-type]
            type=p.type, link=link, score=score, similarity=round(float(similarity[n]) if similarity is not None else 0.0, 4),  # type: ignore[arg-type]
            explanation=explain(i, a, p), evidence=tuple(dict.fromkeys(evidence)),
        ))
    order = sorted(range(len(out)), key=lambda n: (-out[n].score, outcomes[n].doc_id, outcomes[n].span.start, outcomes[n].id))
    return [out[n].model_copy(update={"id": f"{prefix}{rank}"}) for rank, n in enumerate(order, start=1)]


def quote_span(text: str, limit: int = 90) -> str:
    """``text`` on one line, cut at a word boundary when longer than ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return (text[: cut if cut > limit // 2 else limit]).rstrip(" ,;:") + "…"


def explain(plan: Statement, outcome: Statement, p: PairDecision) -> str:
    """One line: who committed to what, what was reported, and the verdict with its probability."""
    if p.verdict == "mismatch":
        verdict = f"mismatch ({p.type}: {_TYPE_WORDS.get(p.type or '', 'otherwise')}, p={p.p_verdict:.2f})"
    elif p.verdict == "consistent":
        verdict = f"consistent: done as committed (p={p.p_verdict:.2f})"
    else:
        verdict = "unverified: the report is about the commitment, but the text does not decide"
    return f"{plan.actor_name}: committed “{quote_span(plan.span.text)}” — reported “{quote_span(outcome.span.text)}”: {verdict}."
